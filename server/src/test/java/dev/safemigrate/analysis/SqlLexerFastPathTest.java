package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The lexer's fast paths (the word cache, literals taken whole between their quotes) against its
 * plain path, over every input the analyzer's differential tests use, lexed whole and statement by
 * statement, with both settings of standard_conforming_strings, and over generated text built from
 * the pieces where lexers go wrong.
 */
class SqlLexerFastPathTest {

    private static final String[] PIECES = {
        "'", "''", "'a'", "'it''s'", "'x'\n'y'", "'x' -- c\n 'y'", "'x'\r'y'", "'x' 'y'", "E'", "e'\\''", "E'\\x72ole'",
        "B'01'", "X'ff'", "N'n'", "U&'\\0064'", "U&\"\\0064blink\"", " UESCAPE '!'", "\"", "\"a\"\"b\"", "$$", "$t$",
        "$t$ body ; $t$", "--", "\n", "\r", "\r\n", "/*", "*/", "/* /* */ */", "\\", "?", "??", ";", "(", ")", "::", ".",
        "1", "1.5e3", "$1", "a$b", "SELECT", "select", "Select", "INSERT", "insert", "into", "Users", "users", "USERS",
        "\"Users\"", "big_import", "BIG_IMPORT", "é", "Ü", "\u00e9t\u00e9", "x".repeat(70), "X".repeat(70),
        "\u00e9".repeat(30), "a".repeat(64), "A".repeat(63), " ", "\t", "\f", ",", "=", "values", "pg_read_file",
    };

    static String generated(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + random.nextInt(25); k > 0; k--) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextBoolean()) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static void assertSame(String sql) {
        for (boolean scs : new boolean[] {true, false}) {
            assertEquals(SqlLexer.tokensReference(sql, scs), SqlLexer.tokens(sql, scs), () -> "scs=" + scs + ": " + sql);
        }
    }

    @Test
    void equalsThePlainPathOnTheAnalysisInputs() {
        for (String file : AnalysisInputs.all()) {
            assertSame(file);
            for (SqlStatement s : SqlSplitter.split(file)) {
                assertEquals(SqlLexer.tokensReference(s.text(), s.standardStrings()), StatementTokens.of(s).list(), s.text());
            }
        }
    }

    @Test
    void equalsThePlainPathOnGeneratedText() {
        Random random = new Random(AnalysisInputs.SEED);
        for (int i = 0; i < 20_000; i++) {
            assertSame(generated(random));
        }
    }

    /** A word whose slot another word took, or the same word in another case, still reads as itself. */
    @Test
    void wordsThatShareACacheSlotOrDifferInCaseReadAsThemselves() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            words.add("w" + i);
            words.add("W" + i);
        }
        words.add("Aa");
        words.add("BB");   // same String.hashCode as "Aa"
        StringBuilder sql = new StringBuilder();
        for (String w : words) {
            sql.append(w).append(' ');
        }
        for (int round = 0; round < 2; round++) {
            assertSame(sql.toString());
        }
    }

    @Test
    void anotherThreadReadsTheSameTokens() throws InterruptedException {
        String sql = "INSERT INTO Big_Import (id, name) VALUES (1, 'a'), (2, 'it''s');";
        AtomicReference<List<SqlToken>> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(SqlLexer.tokens(sql)));
        t.start();
        t.join();
        assertEquals(SqlLexer.tokens(sql), other.get());
        assertEquals(SqlLexer.tokensReference(sql, true), other.get());
    }
}
