package dev.safemigrate.analysis;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * Whether a WHERE condition is true for (nearly) every row, from its tokens alone: {@code true},
 * {@code 1=1}, {@code 'a'='a'}, {@code x = x}, {@code not false}, {@code 1 <> 2}, {@code true or …},
 * {@code x is not distinct from x}, in any parentheses. An agent that writes
 * {@code DELETE FROM t WHERE true} means "every row", and must be asked the same question as for a
 * DELETE without WHERE.
 *
 * <p>A small evaluator over three values: a condition is {@code TRUE} or {@code FALSE} for every
 * row, or {@code UNKNOWN} (depends on the row, or on something this reader does not model). Only
 * {@code TRUE} counts as "no WHERE"; anything not understood is {@code UNKNOWN}, which leaves the
 * statement as it was (the rule does not fire). {@code x = x} counts as true although it is null
 * where x is null: it still selects every row that has a value.
 */
public final class TrivialCondition {

    enum Truth { TRUE, FALSE, UNKNOWN;

        Truth not() {
            return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
        }
    }

    /** PostgreSQL's spellings of a boolean literal in a string ({@code WHERE 't'} is valid). */
    private static final Set<String> TRUE_STRINGS = Set.of("t", "true", "y", "yes", "on", "1");
    private static final Set<String> FALSE_STRINGS = Set.of("f", "false", "n", "no", "off", "0");
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=");

    private final List<SqlToken> tokens;
    private int pos;

    private TrivialCondition(List<SqlToken> tokens) {
        this.tokens = tokens;
    }

    /** Whether the condition held by tokens [from, to) is true for every row. */
    public static boolean alwaysTrue(StatementTokens t, int from, int to) {
        return alwaysTrue(t.list().subList(Math.min(from, t.size()), Math.min(to, t.size())));
    }

    static boolean alwaysTrue(List<SqlToken> condition) {
        if (condition.isEmpty()) {
            return false;
        }
        TrivialCondition c = new TrivialCondition(condition);
        Truth truth = c.or();
        return c.pos == condition.size() && truth == Truth.TRUE;
    }

    private Truth or() {
        Truth result = and();
        while (isWord("or")) {
            pos++;
            Truth next = and();
            result = result == Truth.TRUE || next == Truth.TRUE ? Truth.TRUE
                    : result == Truth.FALSE && next == Truth.FALSE ? Truth.FALSE : Truth.UNKNOWN;
        }
        return result;
    }

    private Truth and() {
        Truth result = not();
        while (isWord("and")) {
            pos++;
            Truth next = not();
            result = result == Truth.FALSE || next == Truth.FALSE ? Truth.FALSE
                    : result == Truth.TRUE && next == Truth.TRUE ? Truth.TRUE : Truth.UNKNOWN;
        }
        return result;
    }

    private Truth not() {
        if (isWord("not")) {
            pos++;
            return not().not();
        }
        return predicate();
    }

    /** operand [comparison operand | IS [NOT] TRUE/FALSE | IS [NOT] DISTINCT FROM operand] */
    private Truth predicate() {
        Operand left = operand();
        if (left == null) {
            return fail();
        }
        String op = comparison();
        if (op != null) {
            Operand right = operand();
            return right == null ? fail() : compare(left, op, right);
        }
        if (isWord("is")) {
            pos++;
            boolean negated = isWord("not");
            if (negated) {
                pos++;
            }
            Truth t;
            if (isWord("true") || isWord("false")) {
                boolean wantTrue = isWord("true");
                pos++;
                t = left.truth() == Truth.UNKNOWN ? Truth.UNKNOWN
                        : (left.truth() == Truth.TRUE) == wantTrue ? Truth.TRUE : Truth.FALSE;
            } else if (isWord("distinct") && isWordAt(pos + 1, "from")) {
                pos += 2;
                Operand right = operand();
                if (right == null) {
                    return fail();
                }
                Truth same = left.sameAs(right);   // IS DISTINCT FROM treats null like a value: x is never distinct from x
                t = same.not();
            } else {
                return fail();
            }
            return negated ? t.not() : t;
        }
        return left.truth();
    }

    /** The lexer gives one symbol per character: {@code <>} arrives as '<', '>'. */
    private String comparison() {
        StringBuilder op = new StringBuilder();
        int i = pos;
        while (i < tokens.size() && tokens.get(i).type() == SqlToken.Type.SYMBOL && "<>=!".contains(tokens.get(i).text())) {
            op.append(tokens.get(i).text());
            i++;
        }
        if (!COMPARISONS.contains(op.toString())) {
            return null;
        }
        pos = i;
        return op.toString();
    }

    private Truth compare(Operand left, String op, Operand right) {
        Truth equal = left.sameAs(right);
        return switch (op) {
            case "=" -> equal;
            case "<>", "!=" -> equal.not();
            case "<=", ">=" -> equal == Truth.TRUE ? Truth.TRUE : ordered(left, op, right);
            default -> equal == Truth.TRUE ? Truth.FALSE : ordered(left, op, right);
        };
    }

    /** Two numbers compare by value; anything else is not known here. */
    private static Truth ordered(Operand left, String op, Operand right) {
        if (left.number() == null || right.number() == null) {
            return Truth.UNKNOWN;
        }
        int c = left.number().compareTo(right.number());
        boolean holds = switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        };
        return holds ? Truth.TRUE : Truth.FALSE;
    }

    /**
     * A literal, a (qualified) column reference, or a parenthesised condition, each with an
     * optional {@code ::type} cast. Null when the tokens are something else.
     */
    private Operand operand() {
        SqlToken t = peek();
        if (t == null) {
            return null;
        }
        Operand result;
        if (t.isSymbol("(")) {
            pos++;
            Truth inner = or();
            if (peek() == null || !peek().isSymbol(")")) {
                return null;
            }
            pos++;
            result = new Operand(null, null, inner);
        } else if (t.type() == SqlToken.Type.NUMBER
                || (t.isSymbol("-") || t.isSymbol("+")) && pos + 1 < tokens.size() && tokens.get(pos + 1).type() == SqlToken.Type.NUMBER) {
            String text = t.type() == SqlToken.Type.NUMBER ? t.text() : t.text() + tokens.get(++pos).text();
            pos++;
            BigDecimal value = number(text);
            result = new Operand("n:" + (value == null ? text : value.stripTrailingZeros().toPlainString()), value, Truth.UNKNOWN);
        } else if (t.type() == SqlToken.Type.STRING) {
            pos++;
            String s = t.text().toLowerCase(java.util.Locale.ROOT).strip();
            Truth truth = TRUE_STRINGS.contains(s) ? Truth.TRUE : FALSE_STRINGS.contains(s) ? Truth.FALSE : Truth.UNKNOWN;
            result = new Operand("s:" + t.text(), null, truth);
        } else if (t.isWord("true") || t.isWord("false")) {
            pos++;
            result = new Operand("b:" + t.text(), null, t.isWord("true") ? Truth.TRUE : Truth.FALSE);
        } else if (t.isName() && !isKeyword(t)) {
            StringBuilder name = new StringBuilder(t.text());
            pos++;
            while (peek() != null && peek().isSymbol(".") && pos + 1 < tokens.size() && tokens.get(pos + 1).isName()) {
                name.append('.').append(tokens.get(pos + 1).text());
                pos += 2;
            }
            if (peek() != null && peek().isSymbol("(")) {
                return null;   // a function call: its value is not known here
            }
            result = new Operand("c:" + name, null, Truth.UNKNOWN);
        } else {
            return null;
        }
        while (peek() != null && peek().isSymbol("::") && pos + 1 < tokens.size() && tokens.get(pos + 1).isName()) {
            pos += 2;   // 'a'::text = 'a'::text is still the same value
        }
        return result;
    }

    private static boolean isKeyword(SqlToken t) {
        return t.type() == SqlToken.Type.WORD && Set.of("not", "and", "or", "is", "null", "select", "exists", "case",
                "current", "distinct", "from").contains(t.text());
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param key    identity for comparison: the same literal or the same column on both sides is the same value
     * @param number the numeric value of a number literal, else null
     * @param truth  the operand's own truth as a condition
     */
    private record Operand(String key, BigDecimal number, Truth truth) {
        Truth sameAs(Operand other) {
            if (key == null || other.key == null) {
                return truth != Truth.UNKNOWN && truth == other.truth ? Truth.TRUE : Truth.UNKNOWN;
            }
            if (key.equals(other.key)) {
                return Truth.TRUE;
            }
            if (number != null && other.number != null) {
                return number.compareTo(other.number) == 0 ? Truth.TRUE : Truth.FALSE;
            }
            boolean literals = !key.startsWith("c:") && !other.key.startsWith("c:");
            boolean sameKind = key.charAt(0) == other.key.charAt(0);
            return literals && sameKind ? Truth.FALSE : Truth.UNKNOWN;
        }
    }

    private Truth fail() {
        pos = Integer.MAX_VALUE / 2;   // not understood: alwaysTrue then fails its end-of-input check
        return Truth.UNKNOWN;
    }

    private SqlToken peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean isWord(String w) {
        return isWordAt(pos, w);
    }

    private boolean isWordAt(int i, String w) {
        return i < tokens.size() && tokens.get(i).isWord(w);
    }
}
