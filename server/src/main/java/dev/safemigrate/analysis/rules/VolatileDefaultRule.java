package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * warn: since PostgreSQL 11 ADD COLUMN … DEFAULT is instant when the default is non-volatile
 * (now() and CURRENT_TIMESTAMP are stable: fine). A volatile default such as random(),
 * gen_random_uuid() or clock_timestamp(), a serial type, an identity or a stored generated column
 * must compute a value per row: the table is rewritten under ACCESS EXCLUSIVE. A function analysis
 * cannot prove immutable or stable (a user function, {@code uuid()}, {@code now(123)}) counts as
 * volatile: see DefaultExpression.
 */
public final class VolatileDefaultRule implements Rule {

    public List<String> ids() {
        return List.of("volatile-default");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.onExistingTable()) {
            return List.of();
        }
        List<String> causes = s.reading().actions().stream().filter(a -> a.startsWith("add_column.rewrite:"))
                .map(a -> a.substring("add_column.rewrite:".length())).sorted().toList();
        if (causes.isEmpty()) {
            return List.of();
        }
        boolean unknown = causes.stream().anyMatch(c -> c.contains("not known"));
        return List.of(s.finding("volatile-default", Severity.WARN,
                "ADD COLUMN with " + String.join(", ", causes) + (unknown ? " can rewrite" : " rewrites") + " all of " + s.target()
                        + " under an ACCESS EXCLUSIVE lock: every row needs its own value.",
                "Add the column without the default, set the default for new rows, and backfill in batches: "
                        + "ALTER TABLE " + s.target() + " ADD COLUMN token uuid; ALTER TABLE " + s.target()
                        + " ALTER COLUMN token SET DEFAULT gen_random_uuid(); UPDATE … WHERE id BETWEEN …;"));
    }
}
