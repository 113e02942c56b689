package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: DROP DATABASE destroys every schema, table and row at once. */
public final class DropDatabaseRule implements Rule {

    public List<String> ids() {
        return List.of("drop-database");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("drop_database")) {
            return List.of();
        }
        return List.of(s.finding("drop-database", Severity.BLOCK,
                "DROP DATABASE destroys a whole database; a migration never does that.",
                "Drop the objects you no longer need one by one (DROP TABLE app.old_table;) in a reviewed migration."));
    }
}
