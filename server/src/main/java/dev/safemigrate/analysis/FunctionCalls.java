package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The function calls of a statement that are not side-effect-free built-ins
 * ({@link BuiltinFunctions}): what running the statement may run that analysis cannot see.
 *
 * <p>Unlike {@link StatementTokens#calledFunctions}, which over-approximates on purpose (any
 * {@code name(} anywhere, strings of code included, for the blocked-function rules where a false
 * hit costs nothing), this tells a call from the other places SQL writes {@code name(}: a table
 * and its column list ({@code CREATE TABLE t (…)}, {@code INSERT INTO t (…)}), a type and its
 * modifier ({@code emb vector(3)}, {@code x::numeric(10,2)}), an alias and its column list
 * ({@code AS t(a int)}), a CTE's column list, keywords ({@code IN (…)}, {@code NOT (…)}). A name
 * followed by {@code (} is a call when what precedes it is an operator, a parenthesis or comma, or
 * a keyword after which an expression starts ({@code SELECT}, {@code WHERE}, {@code DEFAULT}, …).
 *
 * <p>Statements whose {@code name(…)} are signatures or bodies are not scanned: their own rules
 * decide ({@code DROP FUNCTION f(int)}, {@code CREATE TRIGGER … EXECUTE FUNCTION f()}, the body of
 * a DO block or a function).
 */
public final class FunctionCalls {

    private FunctionCalls() {}

    /** Kinds whose {@code name(…)} are signatures, references or opaque bodies, not calls. */
    private static final Set<String> NOT_SCANNED = Set.of("drop_function", "drop_procedure", "drop_routine",
            "drop_aggregate", "drop_operator", "drop_cast", "alter_function", "alter_procedure", "alter_routine",
            "alter_aggregate", "alter_operator", "alter_extension", "comment", "security_label", "grant", "revoke",
            "create_function", "create_procedure", "create_aggregate", "create_trigger", "create_event_trigger",
            "create_operator", "create_cast", "create_rule", "create_language", "create_transform",
            "create_access_method", "create_conversion", "do_block", "psql_meta_command");

    /** Keywords after which an expression (and so a call) may start. */
    private static final Set<String> EXPRESSION_STARTS = Set.of("select", "distinct", "where", "and", "or", "not",
            "when", "then", "else", "case", "by", "from", "join", "lateral", "on", "default", "return", "returning",
            "having", "between", "like", "ilike", "to", "all", "limit", "offset", "using", "zone", "escape", "call",
            "perform", "is");

    /** Words followed by {@code (} that are syntax, never a function. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "exists", "any", "some", "all",
            "array", "row", "values", "over", "filter", "within", "using", "on", "with", "as", "key", "unique", "check",
            "primary", "foreign", "include", "range", "list", "hash", "enum", "options", "default", "conflict", "select",
            "table", "where", "when", "then", "else", "case", "from", "join", "lateral", "set", "into", "by", "to",
            "like", "ilike", "between", "is", "distinct", "sets", "rollup", "cube", "window", "do", "only", "inherits",
            "return", "returns", "returning", "group", "order", "partition", "union", "intersect", "except", "limit",
            "offset", "escape", "similar", "for", "of", "having", "execute", "generated", "references", "constraint",
            "update", "delete", "insert", "merge", "matched", "collate", "tablesample", "repeatable", "materialized",
            "search", "cycle", "lock", "if", "elsif", "loop", "while", "begin", "end", "atomic", "raise", "assert",
            "perform", "call", "recursive", "nulls", "asc", "desc", "inner", "outer", "left", "right", "full", "cross",
            "natural", "current", "statistics", "identity", "storage", "compression", "xmlnamespaces", "columns");

    /** Non-built-in calls, as {@code name} or {@code schema.name}, in order of appearance. */
    public static Set<String> unknown(StatementTokens t, String kind) {
        Set<String> out = new LinkedHashSet<>();
        if (NOT_SCANNED.contains(kind)) {
            return out;
        }
        List<SqlToken> tokens = t.list();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (!tokens.get(i).isName() || !tokens.get(i + 1).isSymbol("(")) {
                continue;
            }
            int start = i;
            while (start >= 2 && tokens.get(start - 1).isSymbol(".") && tokens.get(start - 2).isName()) {
                start -= 2;
            }
            SqlToken name = tokens.get(i);
            String schema = i - start >= 2 ? tokens.get(i - 2).text() : null;
            if (schema == null && name.type() == SqlToken.Type.WORD && KEYWORDS.contains(name.text())) {
                continue;
            }
            if (!callPosition(t, kind, start, i + 1) || BuiltinFunctions.sideEffectFree(schema, name.text())) {
                continue;
            }
            out.add(schema == null ? name.text() : schema + "." + name.text());
        }
        return out;
    }

    /** Whether a name starting at start, with its '(' at open, sits where an expression does. */
    private static boolean callPosition(StatementTokens t, String kind, int start, int open) {
        SqlToken prev = t.get(start - 1);
        if (prev == null || cteColumns(t, open)) {
            return false;
        }
        if (prev.type() == SqlToken.Type.SYMBOL) {
            // ")" ends a call or a table before an alias column list; "::" precedes a type
            return !prev.isSymbol(")") && !prev.isSymbol("::") && !prev.isSymbol(";");
        }
        if (prev.type() != SqlToken.Type.WORD || !EXPRESSION_STARTS.contains(prev.text())) {
            return false;   // after a column name, an object keyword or a value: a type, a table or an alias
        }
        // CREATE INDEX … ON [ONLY] table USING method (…): the table and the method are not calls
        return !(kind.equals("create_index") && (prev.isWord("on") || prev.isWord("using")));
    }

    /** {@code WITH name (a, b) AS (…)}: the parenthesis holds a CTE's column names. */
    private static boolean cteColumns(StatementTokens t, int open) {
        int close = t.closing(open);
        return t.isWord(close + 1, "as")
                && (t.get(close + 2) != null && t.get(close + 2).isSymbol("(") || t.isWord(close + 2, "materialized")
                        || t.wordsAt(close + 2, "not", "materialized"));
    }
}
