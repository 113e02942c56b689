package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the functions called by a column's DEFAULT (or generation) expression and says which
 * of them PostgreSQL may have to evaluate once per row. ADD COLUMN … DEFAULT is instant
 * (PostgreSQL 11+) only when the default is not volatile; anything analysis cannot prove
 * immutable or stable counts as volatile, so {@code uuid()}, a user function such as
 * {@code myjsonb()}, or a known function called with arguments it does not take ({@code now(123)})
 * is reported like {@code random()}.
 */
final class DefaultExpression {

    /** Known non-volatile functions that take no argument (a call with arguments is another function). */
    private static final Set<String> NO_ARGUMENT = Set.of("now", "statement_timestamp", "transaction_timestamp",
            "pi", "version", "current_database", "current_schema", "current_schemas");

    /** SQL-standard time functions whose only, optional, argument is a precision. */
    private static final Set<String> OPTIONAL_PRECISION = Set.of("current_timestamp", "current_time", "localtime",
            "localtimestamp");

    /** Words followed by a parenthesis that are syntax, not calls. */
    private static final Set<String> NOT_CALLS = Set.of("in", "any", "all", "some", "exists", "row", "array", "values",
            "and", "or", "not", "case", "when", "then", "else", "is", "as", "distinct", "from");

    /** Where the default expression ends: the next column constraint at the same depth. */
    private static final Set<String> CONSTRAINT_WORDS = Set.of("not", "null", "check", "references", "constraint",
            "unique", "primary", "generated", "collate");

    private DefaultExpression() {}

    /**
     * The calls in the expression starting after the DEFAULT keyword at {@code def} (up to the next
     * column constraint) that are not known to be immutable or stable, as {@code name()}.
     */
    static Set<String> possiblyVolatileCalls(StatementTokens t, int def, int to) {
        int depth = t.get(def).depth();
        int end = to;
        for (int i = def + 2; i < to; i++) {
            SqlToken w = t.get(i);
            if (w.depth() == depth && w.type() == SqlToken.Type.WORD && CONSTRAINT_WORDS.contains(w.text())
                    && !t.isWord(i - 1, "is")) {
                end = i;
                break;
            }
        }
        return callsIn(t, def + 1, end);
    }

    /** The calls in [from, to) not known to be immutable or stable. */
    static Set<String> callsIn(StatementTokens t, int from, int to) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = from; i < to; i++) {
            SqlToken name = t.get(i);
            SqlToken open = t.get(i + 1);
            if (name == null || !name.isName() || open == null || !open.isSymbol("(")
                    || name.type() == SqlToken.Type.WORD && NOT_CALLS.contains(name.text())) {
                continue;
            }
            String schema = i >= 2 && t.get(i - 1).isSymbol(".") && t.get(i - 2).isName() ? t.get(i - 2).text() : null;
            if (!knownNonVolatile(schema, name.text(), arguments(t, i + 1))) {
                String call = (schema == null ? "" : schema + ".") + name.text() + "()";
                out.add(AlterTable.VOLATILE.contains(name.text()) && schema == null ? call
                        : call + " (not known to be immutable or stable)");
            }
        }
        return out;
    }

    static boolean knownNonVolatile(String schema, String name, int arguments) {
        if (AlterTable.VOLATILE.contains(name) || !BuiltinFunctions.sideEffectFree(schema, name)) {
            return false;
        }
        if (NO_ARGUMENT.contains(name)) {
            return arguments == 0;
        }
        if (OPTIONAL_PRECISION.contains(name)) {
            return arguments <= 1;
        }
        return arguments > 0 || name.equals("lastval");   // every other known function (or cast) takes an argument
    }

    /** The number of arguments of the call whose "(" is at {@code open}. */
    private static int arguments(StatementTokens t, int open) {
        int depth = t.get(open).depth();
        SqlToken first = t.get(open + 1);
        if (first == null || first.isSymbol(")") && first.depth() == depth) {
            return 0;
        }
        int count = 1;
        for (int i = open + 1; i < t.size(); i++) {
            SqlToken k = t.get(i);
            if (k.isSymbol(")") && k.depth() == depth) {
                break;
            }
            if (k.isSymbol(",") && k.depth() == depth + 1) {
                count++;
            }
        }
        return count;
    }
}
