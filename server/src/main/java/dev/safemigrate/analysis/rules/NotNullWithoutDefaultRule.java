package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** warn: a NOT NULL column without a default cannot be added to a table that has rows. */
public final class NotNullWithoutDefaultRule implements Rule {

    public List<String> ids() {
        return List.of("not-null-without-default");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.has("add_column.not_null_without_default") || !s.onExistingTable()) {
            return List.of();
        }
        return List.of(s.finding("not-null-without-default", Severity.WARN,
                "ADD COLUMN … NOT NULL without DEFAULT fails as soon as " + s.target() + " has a row.",
                "Give it a constant default (no rewrite since PG11): ALTER TABLE " + s.target()
                        + " ADD COLUMN status text NOT NULL DEFAULT 'new'; or add it nullable, backfill, then SET NOT NULL."));
    }
}
