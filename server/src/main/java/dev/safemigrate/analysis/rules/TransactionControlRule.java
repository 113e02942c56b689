package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * block: Flyway wraps each migration in a transaction and commits it only when the migration
 * and its history row both succeed. A COMMIT or ROLLBACK inside breaks that: half a migration
 * can be committed without being recorded.
 */
public final class TransactionControlRule implements Rule {

    private static final Set<String> KINDS = Set.of("begin", "start_transaction", "commit", "rollback", "savepoint",
            "release_savepoint", "end", "abort", "prepare_transaction", "commit_prepared", "rollback_prepared");

    public List<String> ids() {
        return List.of("transaction-control");
    }

    public List<Finding> check(StatementContext s) {
        if (!KINDS.contains(s.kind())) {
            return List.of();
        }
        return List.of(s.finding("transaction-control", Severity.BLOCK,
                s.text().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT)
                        + " inside a migration: Flyway already runs the migration in a transaction and records it on commit.",
                "Remove the transaction statements; split work that must commit separately into separate migrations."));
    }
}
