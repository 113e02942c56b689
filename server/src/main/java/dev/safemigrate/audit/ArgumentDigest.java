package dev.safemigrate.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A call's arguments as the log keeps them. SQL is never logged whole: its sha256 identifies it
 * (compare with the migration file), its length and first lines let a person recognise it. A
 * confirmation token is a credential for one destructive apply, so only its presence and a digest
 * prefix are kept.
 */
final class ArgumentDigest {

    static final int FIRST_LINES = 3;
    private static final int MAX_LINE = 200;
    private static final int MAX_PLAIN = 200;
    private static final int SECRET_PREFIX = 12;

    /** Argument names that carry a credential, now or in a future tool. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(confirm|token|password|secret|credential).*");
    /** {@code CREATE ROLE … PASSWORD '…'} is refused, but its first lines would still be logged. */
    private static final Pattern PASSWORD_LITERAL = Pattern.compile("(?i)(password\\s+)'(?:[^']|'')*'?");

    private ArgumentDigest() {}

    /** @return the arguments in name order, each kept, digested or reduced as its kind requires */
    static Map<String, Object> of(Map<String, Object> arguments) {
        Map<String, Object> out = new TreeMap<>();
        arguments.forEach((name, value) -> out.put(name, digest(name, value)));
        return out;
    }

    private static Object digest(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (SECRET_NAME.matcher(name).matches()) {
            return secret(String.valueOf(value));
        }
        if (value instanceof String s) {
            return name.equals("sql") || s.length() > MAX_PLAIN || s.contains("\n") ? text(s) : s;
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value;
        }
        // only an invalid call sends objects or arrays: record that it did, not what it held
        return text(AuditLine.JSON.writeValueAsString(value));
    }

    static Map<String, Object> text(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        List<String> first = new ArrayList<>();
        // line by line rather than split(…, limit): that would copy the whole rest of a 15 MB migration
        for (int start = 0; first.size() < FIRST_LINES; ) {
            int newline = s.indexOf('\n', start);
            int end = newline < 0 ? s.length() : newline;
            String line = s.substring(start, newline > start && s.charAt(end - 1) == '\r' ? end - 1 : end);
            String redacted = PASSWORD_LITERAL.matcher(line).replaceAll("$1'***'");
            first.add(redacted.length() > MAX_LINE ? redacted.substring(0, MAX_LINE) + "…" : redacted);
            if (newline < 0) {
                break;
            }
            start = newline + 1;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sha256", AuditLine.sha256(bytes));
        out.put("bytes", bytes.length);
        out.put("first_lines", first);
        return out;
    }

    private static Map<String, Object> secret(String value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("present", true);
        out.put("sha256_prefix", AuditLine.sha256(value).substring(0, SECRET_PREFIX));
        return out;
    }
}
