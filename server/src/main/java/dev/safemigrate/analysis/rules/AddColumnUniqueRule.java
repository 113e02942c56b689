package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: UNIQUE or PRIMARY KEY written inline in ADD COLUMN (named with CONSTRAINT or not) builds
 * a unique index while the ALTER TABLE holds ACCESS EXCLUSIVE: reads and writes wait for the whole
 * build, and a PRIMARY KEY also checks every row for NULL.
 */
public final class AddColumnUniqueRule implements Rule {

    public List<String> ids() {
        return List.of("add-column-unique");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()
                || !(s.has("add_column.unique") || s.has("add_column.primary_key"))) {
            return List.of();
        }
        String what = s.has("add_column.unique") ? "UNIQUE" : "PRIMARY KEY";
        return List.of(s.finding("add-column-unique", Severity.WARN,
                "ADD COLUMN … " + what + " on " + s.target() + " builds a unique index under an ACCESS EXCLUSIVE lock: "
                        + "nothing reads or writes the table until the build ends.",
                "Add the column plainly, build the index concurrently in its own migration, then attach it: "
                        + "CREATE UNIQUE INDEX CONCURRENTLY t_col_key ON " + s.target() + " (col); ALTER TABLE " + s.target()
                        + " ADD CONSTRAINT t_col_key " + what + " USING INDEX t_col_key;"));
    }
}
