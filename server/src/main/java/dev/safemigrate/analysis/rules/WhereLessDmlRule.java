package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** confirm: an UPDATE or DELETE without WHERE touches every row, the classic accident. */
public final class WhereLessDmlRule implements Rule {

    public List<String> ids() {
        return List.of("delete-without-where", "update-without-where");
    }

    public List<Finding> check(StatementContext s) {
        List<Finding> out = new ArrayList<>();
        if (s.has("delete_without_where")) {
            out.add(s.finding("delete-without-where", Severity.CONFIRM,
                    "DELETE without WHERE deletes every row of " + s.target() + ".",
                    "Say which rows: DELETE FROM " + s.target() + " WHERE created_at < now() - interval '90 days'; "
                            + "to empty a table on purpose, say so with TRUNCATE."));
        }
        if (s.has("update_without_where")) {
            out.add(s.finding("update-without-where", Severity.CONFIRM,
                    "UPDATE without WHERE overwrites the column in every row of " + s.target() + ".",
                    "Say which rows (UPDATE " + s.target() + " SET … WHERE …); on a big table backfill in batches: "
                            + "UPDATE … WHERE id BETWEEN 1 AND 10000;"));
        }
        return out;
    }
}
