package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conditions that count as "no WHERE" and, as importantly, the ones that do not. */
class TrivialConditionTest {

    private static boolean alwaysTrue(String condition) {
        StatementTokens t = StatementTokens.of(condition);
        return TrivialCondition.alwaysTrue(t, 0, t.size());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"true", "TRUE", "1=1", "1 = 1", "'a'='a'", "'a' = 'a'", "x = x", "t.x = t.x", "\"X\" = \"X\"",
        "not false", "NOT NOT true", "1 <> 2", "1 != 2", "'a' <> 'b'", "2 > 1", "1 < 2", "1 <= 1", "2 >= 1", "1.0 = 1",
        "-1 < 1", "x >= x", "x <= x", "true or x = 1", "x = 1 or true", "x = 1 or 1 = 1", "(true)", "((1 = 1))",
        "(x = x)", "x is not distinct from x", "t.x IS NOT DISTINCT FROM t.x", "1 is not distinct from 1",
        "1 is distinct from 2", "true and 1 = 1", "(true) and ('a' = 'a')", "true is true", "false is false",
        "false is not true", "'t'", "'yes'", "'on'", "not (x <> x)", "not (1 = 2)", "'a'::text = 'a'::text",
        "x::int = x::int", "(1 = 1) = true", "(true) = (true)", "true = true", "not (false or false)",
        "(true or x > 3) and not false"})
    void countsAsNoWhere(String condition) {
        assertTrue(alwaysTrue(condition), condition);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"false", "1 = 2", "'a' = 'b'", "x = y", "x = 1", "t.x = u.x", "x = X2", "\"X\" = \"x\"",
        "not true", "x <> x", "x < x", "x > x", "true and x = 1", "x = 1 or false", "false or false", "1 < x",
        "x is distinct from x", "x is not distinct from y", "x is null", "x is not null", "1 = '1'", "f() = f()",
        "random() < 2", "id in (1, 2)", "exists (select 1)", "current of c", "x", "null", "null = null", "'maybe'",
        "1 = 1 and x = 2", "(true", "true)", "true true", "1 = ", "= 1", "id > 0", "x between 1 and 2",
        "x = x and false", "not", "", "1 <> 1", "2 < 1", "x like x", "(select true)", "true or", "1 = 1 returning"})
    void doesNotCountAsNoWhere(String condition) {
        assertFalse(alwaysTrue(condition), condition);
    }
}
