package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** confirm: a statement whose effect analysis cannot see is never silently safe. */
public final class OpaqueStatementRule implements Rule {

    public List<String> ids() {
        return List.of("do-block", "opaque-statement");
    }

    public List<Finding> check(StatementContext s) {
        if (s.kind().equals("do_block")) {
            return List.of(s.finding("do-block", Severity.CONFIRM,
                    "A DO block runs procedural code whose effects analysis cannot see.",
                    "Write the change as plain SQL statements so each can be checked; "
                            + "for conditional DDL use IF [NOT] EXISTS: CREATE INDEX IF NOT EXISTS …;"));
        }
        if (s.reading().isOpaque() && !s.metaCommand()) {
            return List.of(s.finding("opaque-statement", Severity.CONFIRM,
                    "Analysis does not understand this statement, so it cannot say what it does or which locks it takes.",
                    "Check the statement by hand (apply_to_dev with dry_run: true shows its locks), "
                            + "or express it with common DDL/DML."));
        }
        return List.of();
    }
}
