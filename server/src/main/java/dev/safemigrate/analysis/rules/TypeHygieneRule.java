package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** info: column types that tend to be regretted, each with the type to prefer. */
public final class TypeHygieneRule implements Rule {

    public List<String> ids() {
        return List.of("prefer-timestamptz", "prefer-bigint", "prefer-text");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("create_table") && !s.kind().startsWith("alter_table.")) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        if (s.has("column_type:timestamp")) {
            out.add(s.finding("prefer-timestamptz", Severity.INFO,
                    "timestamp (without time zone) stores wall-clock time with no zone; values shift meaning across zones and DST.",
                    "Use timestamptz: created_at timestamptz NOT NULL DEFAULT now()"));
        }
        if (s.has("column_type:integer") || s.has("column_type:serial")) {
            out.add(s.finding("prefer-bigint", Severity.INFO,
                    "int/integer/serial overflows at 2,147,483,647; growing an id column later rewrites the table.",
                    "Use bigint (ids: bigint GENERATED ALWAYS AS IDENTITY)."));
        }
        if (s.has("column_type:varchar(n)")) {
            out.add(s.finding("prefer-text", Severity.INFO,
                    "varchar(n) adds a length limit that is costly to change later; in PostgreSQL text is just as fast.",
                    "Use text, with a CHECK (char_length(col) <= n) if the limit matters."));
        }
        return out;
    }
}
