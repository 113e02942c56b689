package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.NotNullChecks;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: adding a foreign key or CHECK constraint scans the whole table while holding a lock that
 * blocks writes (SHARE ROW EXCLUSIVE for a foreign key, on both tables; ACCESS EXCLUSIVE for CHECK).
 * NOT VALID skips the scan; VALIDATE CONSTRAINT later checks the rows under a weaker lock — but
 * only later: validated in the same transaction (a migration Flyway runs in one), the scan happens
 * while the ADD CONSTRAINT's lock is still held, which is what NOT VALID was meant to avoid.
 */
public final class ConstraintNotValidRule implements MigrationRule {

    public List<String> ids() {
        return List.of("constraint-not-valid");
    }

    public List<Finding> check(List<StatementContext> statements) {
        boolean oneTransaction = statements.stream().allMatch(StatementContext::transactional);
        Set<String> addedNotValid = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (StatementContext s : statements) {
            if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()) {
                continue;
            }
            for (String kind : List.of("foreign_key", "check")) {
                if (s.has("add_constraint." + kind)) {
                    String what = kind.equals("check") ? "CHECK constraint" : "foreign key";
                    out.add(s.finding("constraint-not-valid", Severity.WARN,
                            "Adding a " + what + " to " + s.target() + " checks every row while blocking writes.",
                            "ALTER TABLE " + s.target() + " ADD CONSTRAINT … NOT VALID; then, in a later migration: "
                                    + "ALTER TABLE " + s.target() + " VALIDATE CONSTRAINT …;"));
                }
            }
            String name = NotNullChecks.constraintName(s.tokens());
            if (name == null) {
                continue;
            }
            if (s.has("add_constraint.foreign_key.not_valid") || s.has("add_constraint.check.not_valid")) {
                addedNotValid.add(s.target() + "." + name);
            } else if (s.has("validate_constraint") && oneTransaction && addedNotValid.contains(s.target() + "." + name)) {
                out.add(s.finding("constraint-not-valid", Severity.WARN,
                        "VALIDATE CONSTRAINT " + name + " runs in the same transaction as the ADD CONSTRAINT … NOT VALID "
                                + "before it: every row of " + s.target() + " is checked while that statement's lock, "
                                + "which blocks writes, is still held.",
                        "Move ALTER TABLE " + s.target() + " VALIDATE CONSTRAINT " + name + "; to a later migration."));
            }
        }
        return out;
    }
}
