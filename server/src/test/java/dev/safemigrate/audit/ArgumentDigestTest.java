package dev.safemigrate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentDigestTest {

    /** The first lines as String.split read them before the digest stopped copying the rest of the text. */
    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a\n", "\n", "\n\n\n\n", "a\r\nb\rc\nd\ne", "a\r\n", "\r\n\r\n", "a\nb\nc", "a\nb\nc\n",
            "create role x password 'secret';\nselect 1;", "x\r", "a\n\r\nb\r\r\nc"})
    void keepsTheFirstThreeLinesAsSplittingOnLineEndsDoes(String sql) {
        List<String> expected = Arrays.stream(sql.split("\r?\n", ArgumentDigest.FIRST_LINES + 1))
                .limit(ArgumentDigest.FIRST_LINES).map(l -> l.replaceAll("(?i)(password\\s+)'(?:[^']|'')*'?", "$1'***'"))
                .toList();
        assertEquals(expected, ArgumentDigest.text(sql).get("first_lines"));
    }
}
