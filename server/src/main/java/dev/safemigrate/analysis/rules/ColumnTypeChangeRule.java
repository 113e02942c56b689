package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * confirm: ALTER COLUMN … TYPE rewrites the table under ACCESS EXCLUSIVE unless the change is
 * binary-compatible, and a conversion can fail or narrow values. Only varchar(n) → text and
 * varchar(n) → varchar(m &gt; n) are binary-compatible, and that depends on the old type, which a
 * migration alone does not show: statically every type change asks. A change to text or varchar
 * without USING is told apart ({@code alter_column_type.widening}) so that analysis which knows the
 * column's current type can lower it.
 */
public final class ColumnTypeChangeRule implements Rule {

    public List<String> ids() {
        return List.of("alter-column-type");
    }

    @Override
    public boolean readsCatalogFacts() {
        return true;
    }

    public List<Finding> check(StatementContext s) {
        if (s.targetFacts() != null && s.kind().startsWith("alter_table.") && s.reading().actions().stream()
                .anyMatch(a -> a.startsWith("alter_column_type"))) {
            return CatalogTypeChange.check(s, s.targetFacts());
        }
        if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()) {
            return List.of();
        }
        if (s.has("alter_column_type.rewrite")) {
            return List.of(s.finding("alter-column-type", Severity.CONFIRM,
                    "Changing a column's type on " + s.target() + " rewrites the whole table under an ACCESS EXCLUSIVE lock, "
                            + "and a conversion that fails or narrows values breaks the migration or the data.",
                    "Add a new column, backfill it in batches, switch the code over, then drop the old one: "
                            + "ALTER TABLE " + s.target() + " ADD COLUMN amount_new bigint; UPDATE … WHERE id BETWEEN …;"));
        }
        if (s.has("alter_column_type.widening")) {
            return List.of(s.finding("alter-column-type", Severity.CONFIRM,
                    "Changing a column's type to text or varchar on " + s.target() + " is instant only when the column is a "
                            + "varchar no longer than the new one; from any other type it rewrites the table under an ACCESS "
                            + "EXCLUSIVE lock, and a shorter varchar fails on (or, with a cast, cuts) longer values. "
                            + "The migration does not show the old type.",
                    "Check the column's current type (\\d " + s.target() + "); varchar(n) → text or a longer varchar is safe. "
                            + "Otherwise add a new column, backfill it in batches and switch over."));
        }
        return List.of();
    }
}
