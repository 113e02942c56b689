package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: PostgreSQL refuses CREATE INDEX CONCURRENTLY, VACUUM, … inside a transaction block, so
 * such a migration must run with Flyway's executeInTransaction=false; then every other statement
 * in it runs without a transaction, and a failure half-way leaves half a migration applied.
 */
public final class ConcurrentlyInTransactionRule implements MigrationRule {

    public List<String> ids() {
        return List.of("concurrently-in-transaction");
    }

    public List<Finding> check(List<StatementContext> statements) {
        if (statements.size() < 2) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (StatementContext s : statements) {
            if (!s.transactional()) {
                out.add(s.finding("concurrently-in-transaction", Severity.WARN,
                        "This statement cannot run inside a transaction, but the migration has " + (statements.size() - 1)
                                + " other statement(s): Flyway would run them all without a transaction.",
                        "Put this statement alone in its own migration (it then runs with executeInTransaction=false), "
                                + "and the other statements in another."));
            }
        }
        return out;
    }
}
