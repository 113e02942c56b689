package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.ColumnTypeChange;
import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * The alter-column-type rule when the development database's catalog knows the column's current
 * type: a known binary-compatible widening is only {@code info}; a narrowing, which fails the
 * migration on the first value that does not fit, and any other change stay {@code confirm},
 * saying which it is and how big the table is. A column the catalog does not have (added by an
 * earlier migration not yet applied, or misspelled) is judged as the static rule would.
 */
final class CatalogTypeChange {

    private static final String RULE = "alter-column-type";

    private CatalogTypeChange() {}

    static List<Finding> check(StatementContext s, CatalogFacts.Table table) {
        List<Finding> out = new ArrayList<>();
        String name = table.schema() + "." + table.name();
        for (ColumnTypeChange c : ColumnTypeChange.in(s.tokens())) {
            Optional<String> current = table.columnType(c.column());
            String written = c.newType().replace(" ( ", "(").replace(" )", ")").replace(" , ", ",");
            if (current.isEmpty()) {
                out.add(s.finding(RULE, Severity.CONFIRM, "The development database has no column " + c.column()
                                + " in " + name + ", so changing its type to " + written + " cannot be judged from the "
                                + "catalog: it may rewrite the whole table under an ACCESS EXCLUSIVE lock, and a value that "
                                + "does not convert fails the migration" + s.sizeNote() + ".",
                        "Check the column name; to change a type safely add a new column, backfill it in batches, "
                                + "switch the code over, then drop the old one."));
                continue;
            }
            String from = c.column() + " is " + current.get() + " in the development database";
            out.add(switch (c.effectOn(current.get())) {
                case NONE -> s.finding(RULE, Severity.INFO, from + "; changing it to " + written
                        + " changes nothing but takes a brief ACCESS EXCLUSIVE lock on " + name + ".",
                        "Drop the statement if the type is already what you want.");
                case WIDENING -> s.finding(RULE, Severity.INFO, from + ": " + written + " is a binary-compatible "
                                + "widening, so PostgreSQL neither rewrites nor scans " + name
                                + "; it only holds an ACCESS EXCLUSIVE lock for the catalog change" + s.sizeNote() + ".",
                        "Keep lock_timeout short (SET lock_timeout = '5s';) so the change waits briefly, not the traffic. "
                                + "Production must have the same type for this to hold.");
                case NARROWING -> s.finding(RULE, Severity.CONFIRM, from + ": " + written + " is a narrowing. "
                                + "PostgreSQL checks and rewrites every row of " + name + " under an ACCESS EXCLUSIVE lock, "
                                + "and the first value that does not fit fails the migration (or is rounded, for numeric scale)"
                                + s.sizeNote() + ".",
                        "Find the values that do not fit first (SELECT … WHERE length(" + c.column() + ") > …), fix them, "
                                + "or add a CHECK constraint NOT VALID and VALIDATE it instead of narrowing the type.");
                case REWRITE -> s.finding(RULE, Severity.CONFIRM, from + ": changing it to " + written
                                + (c.using() ? " with USING or COLLATE" : "") + " rewrites the whole of " + name
                                + " and its indexes under an ACCESS EXCLUSIVE lock, and a value that does not convert "
                                + "fails the migration" + s.sizeNote() + ".",
                        "Add a new column, backfill it in batches, switch the code over, then drop the old one: "
                                + "ALTER TABLE " + s.target() + " ADD COLUMN " + c.column() + "_new " + written + ";");
            });
        }
        return out;
    }
}
