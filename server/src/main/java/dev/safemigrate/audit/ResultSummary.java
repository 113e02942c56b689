package dev.safemigrate.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The few facts of a structured result whose record does not say them itself ({@link Audited}: every
 * tool's Output and every tool error do): a trace of anything else, so a result that reaches the log
 * some other way still leaves one. Never
 * the whole result (SQL, the confirmation token), and never a field whose name suggests a credential.
 */
final class ResultSummary {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|password|secret|credential).*");
    private static final int MAX_STRING = 120;

    private ResultSummary() {}

    static Map<String, Object> of(Map<String, Object> result) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (result == null) {
            return s;
        }
        if (result.containsKey("error")) {
            putFindings(s, result.get("findings"));
            // a CONFIRMATION_REQUIRED refusal says whether its trace was executed or reused
            s.put("trace_reused", map(result.get("trace")).get("reused"));
            s.values().removeIf(Objects::isNull);
            return s;
        }
        scalars(s, result);
        s.values().removeIf(Objects::isNull);
        return s;
    }

    /** A tool this class does not know yet still leaves a trace: its short scalar fields and list sizes. */
    private static void scalars(Map<String, Object> s, Map<String, Object> result) {
        result.forEach((k, v) -> {
            if (k.equals("database") || SECRET_NAME.matcher(k).matches()) {
                return;
            }
            if (v instanceof Number || v instanceof Boolean || v instanceof String str && str.length() <= MAX_STRING) {
                s.put(k, v);
            } else if (v instanceof List<?> l) {
                s.put(k + "_count", l.size());
            }
        });
    }

    private static void putFindings(Map<String, Object> s, Object findings) {
        Map<String, Integer> bySeverity = new TreeMap<>();
        for (Object f : list(findings)) {
            bySeverity.merge(String.valueOf(map(f).get("severity")), 1, Integer::sum);
        }
        if (!bySeverity.isEmpty()) {
            s.put("findings", bySeverity);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
