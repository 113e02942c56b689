package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.audit.AcceptedFinding;
import dev.safemigrate.audit.AuditSummary;

/**
 * Findings as an audit line records them: counts by severity, and each one an allow comment
 * accepted on purpose, with its rule, file, line and reason, so that accepting a risk leaves a
 * record a person finds with {@code safemigrate log}.
 */
final class FindingsSummary {

    private FindingsSummary() {}

    /**
     * @param file     the migration {@link Finding}s belong to, or null when none was written
     * @param findings {@link Finding}s of that migration, or {@link MigrationFinding}s, each with its own file
     */
    static AuditSummary of(AuditSummary summary, String file, List<?> findings) {
        List<String> severities = new ArrayList<>();
        List<AcceptedFinding> accepted = new ArrayList<>();
        for (Object o : findings == null ? List.of() : findings) {
            if (o instanceof Finding f) {
                severities.add(f.severity().id());
                if (f.allowedReason() != null) {
                    accepted.add(new AcceptedFinding(f.rule(), file, f.line(), f.allowedReason()));
                }
            } else if (o instanceof MigrationFinding f) {
                severities.add(f.severity().id());
                if (f.allowedReason() != null) {
                    accepted.add(new AcceptedFinding(f.rule(), f.path(), f.line(), f.allowedReason()));
                }
            }
        }
        return summary.findings(severities, accepted);
    }
}
