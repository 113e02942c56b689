package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.safemigrate.analysis.SqlLexer;
import dev.safemigrate.analysis.SqlToken;

/**
 * The statements inside procedural code (a function body, a DO block), including those in its
 * strings of dynamic SQL ({@code EXECUTE 'set role x'}), read four strings deep. Rules that block
 * something wherever it runs ask this one walker instead of each reading bodies their own way.
 */
final class ProceduralCode {

    /** Statement kinds whose text holds procedural code. */
    static final Set<String> KINDS = Set.of("do_block", "create_function", "create_procedure");

    /** A test of the statement that starts at token {@code i}. */
    interface StatementTest {
        boolean at(List<SqlToken> tokens, int i);
    }

    private ProceduralCode() {}

    /**
     * @param starts words after which a statement starts in this rule's reading (besides a semicolon)
     * @param inString a further test of each string's tokens, as a whole
     */
    static boolean anyStatement(List<SqlToken> t, Set<String> starts, StatementTest statement,
                                Predicate<List<SqlToken>> inString) {
        return anyStatement(t, starts, statement, inString, 0);
    }

    private static boolean anyStatement(List<SqlToken> t, Set<String> starts, StatementTest statement,
                                        Predicate<List<SqlToken>> inString, int nesting) {
        for (int i = 0; i < t.size(); i++) {
            SqlToken tok = t.get(i);
            SqlToken prev = i == 0 ? null : t.get(i - 1);
            boolean statementStart = prev == null || prev.isSymbol(";")
                    || prev.type() == SqlToken.Type.WORD && starts.contains(prev.text());
            if (statementStart && statement.at(t, i)) {
                return true;
            }
            if (nesting < 4 && tok.isString()) {
                List<SqlToken> inner = SqlLexer.tokens(tok.text());
                if (anyStatement(inner, starts, statement, inString, nesting + 1) || inString.test(inner)) {
                    return true;
                }
            }
        }
        return false;
    }
}
