package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.LockMode;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: locks are held until the transaction ends. Once a statement takes ACCESS EXCLUSIVE on an
 * existing table, every later statement of the migration runs while all reads and writes to that
 * table wait (and queue up behind it).
 */
public final class AccessExclusiveHeldRule implements MigrationRule {

    public List<String> ids() {
        return List.of("statements-after-access-exclusive");
    }

    public List<Finding> check(List<StatementContext> statements) {
        if (statements.stream().anyMatch(s -> !s.transactional())) {
            return List.of();   // without a transaction each statement releases its locks
        }
        for (StatementContext s : statements) {
            int after = statements.size() - s.index();
            if (s.lock() == LockMode.ACCESS_EXCLUSIVE && s.onExistingTable() && !s.reading().targets().isEmpty() && after > 0) {
                return List.of(s.finding("statements-after-access-exclusive", Severity.WARN,
                        "Statement " + s.index() + " takes an ACCESS EXCLUSIVE lock on " + s.target() + " and " + after
                                + " more statement(s) run while it is held: reads and writes of " + s.target() + " wait for all of them"
                                + s.sizeNote() + ".",
                        "Put the statement that takes the ACCESS EXCLUSIVE lock last, or in a migration of its own, "
                                + "and keep lock_timeout short (SET lock_timeout = '5s';)."));
            }
        }
        return List.of();
    }
}
