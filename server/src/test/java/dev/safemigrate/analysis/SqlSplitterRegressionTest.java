package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The splitter against PostgreSQL's own regression SQL (resources analysis/pgregress, see its
 * README). The oracle is what psql really sent to a server for each file, recorded from the
 * server log by oracle.py: the splitter must produce exactly those statements, in order.
 */
class SqlSplitterRegressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"comments", "create_function_sql", "create_procedure", "plpgsql_control", "strings"})
    void splitsLikePsql(String name) throws IOException {
        List<SqlStatement> ours = SqlSplitter.split(resource(name + ".sql"));
        List<String> sent = new ArrayList<>();
        for (String line : resource(name + ".oracle").split("\n")) {
            if (!line.isEmpty()) {   // psql sends a comment-only tail as an empty query: nothing runs
                sent.add(line);
            }
        }
        int cursor = 0;
        boolean afterMetaCommand = false;
        for (SqlStatement s : ours) {
            if (s.metaCommand()) {
                afterMetaCommand = true;   // psql may send its own catalog queries for \d…, never ours
                continue;
            }
            String expected = normalise(s.text());
            int at = sent.subList(cursor, sent.size()).indexOf(expected);
            if (at < 0 || (at > 0 && !afterMetaCommand)) {
                fail(name + ": statement at line " + s.line() + " is not the next one psql sent.\n ours: " + expected
                        + "\n psql: " + (cursor < sent.size() ? sent.get(cursor) : "<nothing>"));
            }
            cursor += at + 1;
            afterMetaCommand = false;
        }
        assertEquals(sent.size(), cursor, name + ": psql sent more statements than the splitter found");
    }

    @Test
    void keepsSqlStandardFunctionBodiesWhole() throws IOException {
        List<SqlStatement> ours = SqlSplitter.split(resource("create_function_sql.sql"));
        SqlStatement s13 = only(ours, "CREATE FUNCTION functest_S_13()");
        assertTrue(s13.text().endsWith("SELECT false;\n    END"), s13.text());
        SqlStatement s15 = only(ours, "CREATE FUNCTION functest_S_15(x int)");
        assertTrue(s15.text().contains("else false end;\nEND"), s15.text());
        assertEquals(208, only(ours, "CREATE FUNCTION functest_S_15(x int)").line());
        assertEquals(23, ours.get(4).line());   // after CREATE USER, SCHEMA, GRANT, SET: the first function
    }

    @Test
    void followsStandardConformingStringsLikePsql() throws IOException {
        List<SqlStatement> ours = SqlSplitter.split(resource("strings.sql"));
        long escapedSelects = ours.stream().filter(s -> s.text().startsWith("select 'a\\\\bcd' as f1")).count();
        assertEquals(2, escapedSelects, "with standard_conforming_strings off, \\' does not end the string");
    }

    @Test
    void recognisesPsqlMetaCommandsWithTheirLines() throws IOException {
        List<SqlStatement> meta = SqlSplitter.split(resource("create_procedure.sql")).stream()
                .filter(SqlStatement::metaCommand).toList();
        assertEquals(List.of("\\df ptest1", "\\dfn public.*test*1", "\\dfp public.*test*1"),
                meta.stream().map(SqlStatement::text).toList());
        assertEquals(List.of(14, 18, 21), meta.stream().map(SqlStatement::line).toList());
    }

    private static SqlStatement only(List<SqlStatement> statements, String prefix) {
        List<SqlStatement> hits = statements.stream().filter(s -> s.text().startsWith(prefix)).toList();
        assertEquals(1, hits.size(), prefix);
        return hits.get(0);
    }

    /** The same normalisation oracle.py applies to what psql sent. */
    static String normalise(String text) {
        String s = text.strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.replaceAll("\\s+", " ").strip();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SqlSplitterRegressionTest.class.getResourceAsStream("/analysis/pgregress/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
