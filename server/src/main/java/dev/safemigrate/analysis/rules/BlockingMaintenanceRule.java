package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE; REINDEX locks out writes
 * to the table and every query that would use the index. None belongs in a migration.
 */
public final class BlockingMaintenanceRule implements Rule {

    public List<String> ids() {
        return List.of("blocking-maintenance");
    }

    public List<Finding> check(StatementContext s) {
        boolean concurrently = s.tokens().contains(0, s.tokens().size(), "concurrently");
        String what = switch (s.kind()) {
            case "vacuum" -> s.tokens().contains(0, s.tokens().size(), "full") ? "VACUUM FULL" : null;
            case "cluster" -> "CLUSTER";
            case "reindex" -> concurrently ? null : "REINDEX";
            default -> null;
        };
        if (what == null) {
            return List.of();
        }
        return List.of(s.finding("blocking-maintenance", Severity.WARN,
                what + " locks the table against normal use for as long as it runs.",
                "Leave maintenance out of migrations; if it must happen: REINDEX INDEX CONCURRENTLY …; "
                        + "or pg_repack instead of VACUUM FULL / CLUSTER, run by a person."));
    }
}
