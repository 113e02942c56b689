package dev.safemigrate.analysis;

import java.util.Set;

/**
 * Whether executing a statement can run code that is not a side-effect-free built-in — the
 * question the dry run asks before it executes a statement with privileges it has not proven
 * small. Answered from the statement alone, plus whether an earlier statement of the same
 * migration installed code that later statements can set off. See
 * {@link StatementAnalysis#executesCode()} for the exact meaning.
 */
final class CodeExecution {

    private CodeExecution() {}

    /** Running these runs code by definition, or runs something analysis could not read. */
    private static final Set<String> ALWAYS = Set.of("do_block", "call", "execute", "load", Reading.OPAQUE,
            "refresh_materialized_view");

    /** These evaluate expressions when they run (defaults, USING, CHECK and index expressions included). */
    private static final Set<String> EVALUATING = Set.of("select", "with", "values", "table", "insert", "update",
            "delete", "merge", "copy", "create_table_as", "create_materialized_view", "create_index", "explain");

    /**
     * Statements after which later statements may set off new code: a trigger, rule or event
     * trigger fires on later DML or DDL; a (replaced) function runs wherever it is referenced;
     * an operator or cast runs wherever it is used.
     */
    private static final Set<String> INSTALLS_CODE = Set.of("create_function", "create_procedure", "create_trigger",
            "create_rule", "create_event_trigger", "create_operator", "create_cast", "create_aggregate",
            "create_language", "create_transform", "create_access_method", "create_conversion", "alter_function",
            "alter_procedure", "alter_routine", "alter_event_trigger", "alter_trigger", "alter_operator");

    static boolean executes(Reading reading, Set<String> unknownCalls, boolean codeInstalledEarlier) {
        String kind = reading.kind();
        if (codeInstalledEarlier || ALWAYS.contains(kind)) {
            return true;
        }
        boolean evaluates = EVALUATING.contains(kind) || kind.startsWith("alter_table.");
        return evaluates && !unknownCalls.isEmpty();
    }

    static boolean installsCode(Reading reading) {
        return INSTALLS_CODE.contains(reading.kind()) || reading.has("enable_trigger") || reading.has("enable_rule");
    }
}
