package dev.safemigrate.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.safemigrate.audit.AuditEntry;

/**
 * Audit entries as a table a person can scan: time, client, tool, decision, what happened; under
 * a call's row, one line for each finding an allow comment accepted on purpose, with its reason.
 */
final class LogTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_CLIENT = 28;
    private static final int MAX_SUMMARY = 140;
    private static final int MAX_ACCEPTED = 200;
    private static final String ACCEPTED = "accepted";

    private LogTable() {}

    static String render(List<AuditEntry> entries) {
        List<String[]> rows = new ArrayList<>();
        List<List<String>> below = new ArrayList<>();
        rows.add(new String[]{"TIME (UTC)", "CLIENT", "TOOL", "DECISION", "SUMMARY"});
        below.add(List.of());
        for (AuditEntry e : entries) {
            rows.add(new String[]{time(e.time()), cut(String.valueOf(e.client()), MAX_CLIENT), cut(String.valueOf(e.tool()), MAX_CLIENT),
                    decision(e), cut(summary(e), MAX_SUMMARY)});
            below.add(accepted(e));
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int row = 0; row < rows.size(); row++) {
            String[] r = rows.get(row);
            for (int i = 0; i < width.length; i++) {
                sb.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            sb.append(r[4]).append('\n');
            for (String line : below.get(row)) {
                sb.append("    ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String time(String iso) {
        try {
            return TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return String.valueOf(iso);
        }
    }

    private static String decision(AuditEntry e) {
        return e.code() == null ? String.valueOf(e.decision()) : e.decision() + " " + e.code();
    }

    /** A refusal says why; anything else says what it did, and on which database. */
    static String summary(AuditEntry e) {
        List<String> parts = new ArrayList<>();
        if (e.reason() != null) {
            parts.add(e.reason());
        }
        if (e.summary() != null) {
            e.summary().forEach((k, v) -> parts.add(k + "=" + (k.equals(ACCEPTED) && v instanceof List<?> l ? l.size() : value(v))));
        }
        if (e.database() != null && e.database().get("name") != null) {
            parts.add("db=" + e.database().get("name"));
        }
        return String.join("  ", parts);
    }

    /** {@code accepted drop-column at db/migrations/V2__drop.sql:3: "the column was never read"} */
    static List<String> accepted(AuditEntry e) {
        if (e.summary() == null || !(e.summary().get(ACCEPTED) instanceof List<?> accepted)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Object o : accepted) {
            if (o instanceof Map<?, ?> a) {
                String where = (a.get("file") == null ? "line " : a.get("file") + ":") + a.get("line");
                lines.add(cut("accepted " + a.get("rule") + " at " + where + ": \"" + a.get("reason") + "\"", MAX_ACCEPTED));
            }
        }
        return lines;
    }

    private static String value(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(LogTable::value).collect(Collectors.joining(","));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(x -> x.getKey() + ":" + value(x.getValue())).collect(Collectors.joining(","));
        }
        return String.valueOf(v);
    }

    /**
     * One line, cut to length, with every control or formatting character shown as '?': what an
     * agent wrote (a reason, a message) reaches a person's terminal here, and must not be able to
     * move its cursor, recolour it or reorder the text it shows.
     */
    private static String cut(String s, int max) {
        String oneLine = s.codePoints().map(ch -> ch == '\n' ? ' '
                        : Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT ? '?' : ch)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
