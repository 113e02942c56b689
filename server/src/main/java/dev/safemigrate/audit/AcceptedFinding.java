package dev.safemigrate.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finding a {@code -- safemigrate:allow <rule-id> <reason>} comment accepted on purpose, as its
 * audit line records it: which rule, where, and the reason a person can hold the author to.
 *
 * @param file the migration's path, or null when it has none (a refused create_migration)
 * @param line the 1-based line of the statement in that file
 */
public record AcceptedFinding(String rule, String file, int line, String reason) {

    /** A reason is the author's text: long enough to say why, never a way to flood the log. */
    static final int MAX_REASON = 300;

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule);
        if (file != null) {
            m.put("file", file);
        }
        m.put("line", line);
        m.put("reason", reason == null || reason.length() <= MAX_REASON ? reason
                : reason.substring(0, MAX_REASON - 1) + "…");
        return m;
    }
}
