package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** confirm: a rename breaks every running query and deployed code that uses the old name, at once. */
public final class RenameRule implements Rule {

    public List<String> ids() {
        return List.of("rename-table", "rename-column");
    }

    public List<Finding> check(StatementContext s) {
        List<Finding> out = new ArrayList<>();
        boolean table = s.kind().startsWith("alter_table.") || s.kind().equals("alter_table");
        if (table && s.has("rename")) {
            out.add(s.finding("rename-table", Severity.CONFIRM,
                    "Renaming table " + s.target() + " breaks all code still using the old name.",
                    "Rename in steps: create the new name as a view or table, move the code over, then drop the old one; "
                            + "or CREATE VIEW " + s.target() + " AS SELECT * FROM new_name; for the transition."));
        }
        if (table && s.has("rename_column")) {
            out.add(s.finding("rename-column", Severity.CONFIRM,
                    "Renaming a column of " + s.target() + " breaks all code still using the old name.",
                    "Add the new column, write both, backfill, move reads over, then drop the old column in a later migration."));
        }
        return out;
    }
}
