package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: adding a foreign key or CHECK constraint scans the whole table while holding a lock that
 * blocks writes (SHARE ROW EXCLUSIVE for a foreign key, on both tables; ACCESS EXCLUSIVE for CHECK).
 * NOT VALID skips the scan; VALIDATE CONSTRAINT later checks the rows under a weaker lock.
 */
public final class ConstraintNotValidRule implements Rule {

    public List<String> ids() {
        return List.of("constraint-not-valid");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (String kind : List.of("foreign_key", "check")) {
            if (s.has("add_constraint." + kind)) {
                String what = kind.equals("check") ? "CHECK constraint" : "foreign key";
                out.add(s.finding("constraint-not-valid", Severity.WARN,
                        "Adding a " + what + " to " + s.target() + " checks every row while blocking writes.",
                        "ALTER TABLE " + s.target() + " ADD CONSTRAINT … NOT VALID; then, in a later migration: "
                                + "ALTER TABLE " + s.target() + " VALIDATE CONSTRAINT …;"));
            }
        }
        return out;
    }
}
