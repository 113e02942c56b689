package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Reading;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * confirm: a statement whose effect analysis cannot see is never silently safe — one the readers
 * do not understand, one JSqlParser gave up on (a statement can be built to make it time out),
 * and CREATE/ALTER of an object kind the analyser has no reading of.
 */
public final class OpaqueStatementRule implements Rule {

    /** The object kinds of CREATE and ALTER whose meaning the analysis (and its rules) cover. */
    private static final Set<String> KNOWN_OBJECTS = Set.of("table", "table_as", "index", "view", "materialized_view",
            "schema", "sequence", "type", "domain", "extension", "collation", "statistics", "policy", "publication",
            "text_search_configuration", "text_search_dictionary", "text_search_parser", "text_search_template",
            "role", "user", "group", "database", "system", "server", "user_mapping", "foreign_data_wrapper",
            "foreign_table", "function", "procedure", "routine", "aggregate", "trigger", "rule", "event_trigger",
            "operator", "cast", "language", "transform", "access_method", "conversion", "subscription", "large_object",
            "default_privileges");

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
        if (s.has(Reading.PARSE_TIMEOUT)) {
            return List.of(s.finding("opaque-statement", Severity.CONFIRM,
                    "The SQL parser gave up on this statement (it ran out of time), so analysis cannot say what it does.",
                    "Simplify the statement (fewer nested parentheses, split it into several), "
                            + "or have a person check it by hand."));
        }
        if (s.reading().isOpaque() && !s.metaCommand() || unknownObject(s.kind())) {
            return List.of(s.finding("opaque-statement", Severity.CONFIRM,
                    "Analysis does not understand this statement, so it cannot say what it does or which locks it takes.",
                    "Check the statement by hand (apply_to_dev with dry_run: true shows its locks), "
                            + "or express it with common DDL/DML."));
        }
        return List.of();
    }

    private static boolean unknownObject(String kind) {
        for (String verb : new String[] {"create_", "alter_"}) {
            if (kind.startsWith(verb) && !kind.startsWith("alter_table.")) {
                return !KNOWN_OBJECTS.contains(kind.substring(verb.length()));
            }
        }
        return false;
    }
}
