package dev.safemigrate.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds an {@link Audited#auditSummary()}: named facts in order, absent ones left out. */
public final class AuditSummary {

    private final Map<String, Object> facts = new LinkedHashMap<>();

    public AuditSummary put(String name, Object value) {
        if (value != null) {
            facts.put(name, value);
        }
        return this;
    }

    /**
     * How many findings of each severity (as {@code "findings": {"confirm": 2, "info": 1}}) and,
     * as {@code "accepted"}, each finding an allow comment accepted on purpose, with its reason.
     *
     * @param severities the severity of each finding, as serialised (block, confirm, warn, info)
     */
    public AuditSummary findings(List<String> severities, List<AcceptedFinding> accepted) {
        Map<String, Integer> bySeverity = new TreeMap<>();
        severities.forEach(s -> bySeverity.merge(s, 1, Integer::sum));
        if (!bySeverity.isEmpty()) {
            facts.put("findings", bySeverity);
        }
        if (!accepted.isEmpty()) {
            facts.put("accepted", accepted.stream().map(AcceptedFinding::toMap).toList());
        }
        return this;
    }

    public Map<String, Object> build() {
        return facts;
    }
}
