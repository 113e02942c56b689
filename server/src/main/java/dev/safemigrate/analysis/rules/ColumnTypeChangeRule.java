package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * confirm: ALTER COLUMN … TYPE rewrites the table under ACCESS EXCLUSIVE unless the change is
 * binary-compatible. A migration alone does not show the old type, so only changes to text or
 * varchar without USING are taken as the safe widening of a varchar (varchar(n) → text or a longer
 * varchar); int → bigint, text → int and anything with USING rewrite.
 */
public final class ColumnTypeChangeRule implements Rule {

    public List<String> ids() {
        return List.of("alter-column-type");
    }

    public List<Finding> check(StatementContext s) {
        if (s.targetFacts() != null && s.kind().startsWith("alter_table.") && s.reading().actions().stream()
                .anyMatch(a -> a.startsWith("alter_column_type"))) {
            return CatalogTypeChange.check(s, s.targetFacts());
        }
        if (!s.kind().startsWith("alter_table.") || !s.has("alter_column_type.rewrite") || !s.onExistingTable()) {
            return List.of();
        }
        return List.of(s.finding("alter-column-type", Severity.CONFIRM,
                "Changing a column's type on " + s.target() + " rewrites the whole table under an ACCESS EXCLUSIVE lock, "
                        + "and a conversion that fails or narrows values breaks the migration or the data.",
                "Add a new column, backfill it in batches, switch the code over, then drop the old one: "
                        + "ALTER TABLE " + s.target() + " ADD COLUMN amount_new bigint; UPDATE … WHERE id BETWEEN …;"));
    }
}
