package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** warn: ADD UNIQUE / PRIMARY KEY builds its index while holding ACCESS EXCLUSIVE. */
public final class UniqueUsingIndexRule implements Rule {

    public List<String> ids() {
        return List.of("unique-not-using-index");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (String kind : List.of("unique", "primary_key")) {
            if (s.has("add_constraint." + kind)) {
                String what = kind.equals("unique") ? "UNIQUE" : "PRIMARY KEY";
                out.add(s.finding("unique-not-using-index", Severity.WARN,
                        "ADD " + what + " on " + s.target() + " builds an index while blocking all reads and writes.",
                        "Build the index first, without blocking: CREATE UNIQUE INDEX CONCURRENTLY idx ON " + s.target()
                                + " (…); then: ALTER TABLE " + s.target() + " ADD CONSTRAINT c " + what + " USING INDEX idx;"));
            }
        }
        return out;
    }
}
