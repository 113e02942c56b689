package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** confirm: dropping a table, schema, column or other object loses its data or breaks its users for good. */
public final class DropRule implements Rule {

    private static final Map<String, String> OTHER_OBJECTS = Map.of("drop_type", "type", "drop_domain", "domain",
            "drop_view", "view", "drop_materialized_view", "materialized view", "drop_sequence", "sequence",
            "drop_function", "function", "drop_procedure", "procedure", "drop_routine", "routine", "drop_owned",
            "every object owned by a role");

    public List<String> ids() {
        return List.of("drop-table", "drop-schema", "drop-column", "drop-object");
    }

    public List<Finding> check(StatementContext s) {
        List<Finding> out = new ArrayList<>();
        // joined only for a DROP: this rule sees every statement, and most are not one
        String what = s.kind().startsWith("drop_") ? String.join(", ", s.reading().targets()) : "";
        switch (s.kind()) {
            case "drop_table" -> out.add(s.finding("drop-table", Severity.CONFIRM,
                    "DROP TABLE " + what + " deletes the table and every row in it.",
                    "Take a backup first; to be able to go back, rename instead and drop in a later migration: "
                            + "ALTER TABLE " + s.target() + " RENAME TO " + s.target() + "_deprecated;"));
            case "drop_schema" -> out.add(s.finding("drop-schema", Severity.CONFIRM,
                    "DROP SCHEMA " + what + " deletes the schema" + (s.tokens().contains(0, s.tokens().size(), "cascade")
                            ? " and, with CASCADE, every table and row in it." : "."),
                    "Drop the schema's objects explicitly, one reviewed DROP each, and never with CASCADE."));
            default -> {
                String object = OTHER_OBJECTS.get(s.kind());
                if (object != null) {
                    out.add(s.finding("drop-object", Severity.CONFIRM,
                            "Drops " + object + " " + what + "; whatever uses it breaks.",
                            "Check nothing depends on it (no CASCADE), or deprecate it first and drop it in a later migration."));
                }
            }
        }
        if (s.kind().startsWith("alter_table.") && s.has("drop_column")) {
            out.add(s.finding("drop-column", Severity.CONFIRM,
                    "Drops a column of " + s.target() + ": its values are lost, and running code that reads it fails.",
                    "Deploy code that no longer uses the column first, take a backup, then: "
                            + "ALTER TABLE " + s.target() + " DROP COLUMN … in its own migration."));
        }
        return out;
    }
}
