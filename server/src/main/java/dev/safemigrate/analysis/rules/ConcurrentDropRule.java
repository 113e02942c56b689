package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: DROP INDEX and ALTER TABLE … DETACH PARTITION without CONCURRENTLY take ACCESS EXCLUSIVE
 * on the table (for DETACH, on the partitioned table and the partition): every query on it waits,
 * and queues behind it, until the lock is released. DETACH … FINALIZE completes an interrupted
 * concurrent detach and takes only SHARE UPDATE EXCLUSIVE. (REINDEX: see blocking-maintenance.)
 */
public final class ConcurrentDropRule implements Rule {

    public List<String> ids() {
        return List.of("drop-index-not-concurrent", "detach-partition-not-concurrent");
    }

    public List<Finding> check(StatementContext s) {
        if (s.kind().equals("drop_index") && !s.tokens().contains(0, s.tokens().size(), "concurrently")) {
            return List.of(s.finding("drop-index-not-concurrent", Severity.WARN,
                    "DROP INDEX " + String.join(", ", s.reading().targets())
                            + " takes an ACCESS EXCLUSIVE lock on its table: every read and write of it waits.",
                    "DROP INDEX CONCURRENTLY IF EXISTS …; in a migration of its own (it cannot run inside a transaction)."));
        }
        if (s.kind().startsWith("alter_table.") && s.has("detach_partition") && s.onExistingTable()
                && !s.tokens().contains(0, s.tokens().size(), "finalize")) {
            return List.of(s.finding("detach-partition-not-concurrent", Severity.WARN,
                    "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on " + s.target()
                            + ": every query on the partitioned table waits until it commits.",
                    "ALTER TABLE " + s.target() + " DETACH PARTITION … CONCURRENTLY; in a migration of its own "
                            + "(PostgreSQL 14+, not inside a transaction)."));
        }
        return List.of();
    }
}
