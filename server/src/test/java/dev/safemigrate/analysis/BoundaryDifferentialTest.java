package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.postgresql.core.Parser;

/**
 * Thousands of migrations assembled from the fragments where SQL readers part ways. For each one,
 * the real Flyway parser reads the whole file (no shortcut: this is the oracle for BoundaryCheck's
 * plain-segment shortcut) and pgjdbc reads each of Flyway's statements, which it must send as one
 * piece with the very text Flyway read (it sends {@code ??} as {@code ?}); either all of them agree with
 * the splitter — and then the analysis reports no boundary mismatch — or the analysis blocks.
 */
class BoundaryDifferentialTest {

    private static final long SEED = 20261125L;
    private static final int CASES = 3000;

    private static final String[] FRAGMENTS = {
        "SELECT 1", "SELECT 1", "DROP TABLE users", "CREATE ROLE x SUPERUSER", "CREATE TABLE t (id bigint)",
        ";", ";", ";", "; ", " ", " ", "\n", "\n", "\r", "\r\n", "\t", "\f",
        "-- note", "-- note;", "-- c\r", "-- c\rDROP TABLE users", "/* c */", "/* a /* b ; */ c */", "/* a ; */ */", "/*", "*/",
        "$$", "$$;$$", "$$ x ; $$", "DO $$ BEGIN RAISE NOTICE 'x;'; END $$", "$é$ x $é$", "x$$", "$q$ \r $$ ; $q$", "$tag$", "$tag$ ; $tag$", "$1", "$a", "1$a$", "a$b$", "$_$", "$é$",
        "E'\\''", "e'\\''", "E'x'", "'it''s'", "'a;b'", "'", "'\\'", "'\\\\'", "\"", "\"quoted;ident\"", "\"a\"\"b\"",
        "U&\"\\0064blink\"", "U&'\\0041;'", "U&'!0041' UESCAPE '!'", "X'\\'", "B'01'", "N'x'",
        "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS $$select 1$$",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END",
        "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN CASE WHEN false THEN 1 END END; END",
        "CREATE OR REPLACE FUNCTION g() RETURNS int BEGIN ATOMIC",
        "BEGIN", "ATOMIC", "BEGIN ATOMIC", "END", "CASE", "CASE WHEN x THEN 1 END",
        "CREATE FUNCTION end()", "CREATE PROCEDURE atomic()", "CREATE FUNCTION case()",
        "SET standard_conforming_strings = off", "SET standard_conforming_strings = on", "RESET ALL",
        "\\i other.sql\n", "COPY t FROM STDIN;\n1\tx\n\\.\n", "COPY t FROM stdin;\n2\n\\.\n", "\\.\n", "COPY t FROM STDIN",
        "\"x\" COPY t FROM STDIN", "COPY/**/t FROM STDIN", 
        "(", ")", "(1; 2)", "{fn ucase('a')}", "{", "?", "??", "\u00A0", "\u3000", "é", "\uFEFF", "x", "1e5", "::int",
    };

    private final MigrationAnalyzer analyzer = new MigrationAnalyzer(20);

    @Test
    void flywayPgjdbcAndTheSplitterAgreeOrTheAnalysisBlocks() {
        System.err.println("BoundaryDifferentialTest seed " + SEED + ", " + CASES + " cases");   // not stdout: test output
        Random random = new Random(SEED);
        int disagreements = 0;
        for (int c = 0; c < CASES; c++) {
            String sql = generate(random);
            List<String> problems = disagreements(sql);
            MigrationAnalysis analysis = analyzer.analyze(sql);
            if (problems.isEmpty()) {
                if (analysis.ruleIds().contains(BoundaryCheck.RULE)) {
                    fail("case " + c + ": all readers agree, yet a mismatch is reported: " + show(sql) + "\n"
                            + analysis.findings());
                }
            } else {
                disagreements++;
                if (!analysis.has(Severity.BLOCK)) {
                    fail("case " + c + " (seed " + SEED + "): " + problems + " but the analysis does not block: " + show(sql)
                            + "\n" + analysis.findings());
                }
            }
        }
        System.err.println("BoundaryDifferentialTest: " + disagreements + " of " + CASES + " cases disagreed");
        assertTrue(disagreements > CASES / 10 && disagreements < CASES * 9 / 10,
                "the generator should produce both agreeing and disagreeing files: " + disagreements);
    }

    static String generate(Random random) {
        StringBuilder b = new StringBuilder();
        int pieces = 1 + random.nextInt(10);
        for (int i = 0; i < pieces; i++) {
            b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            if (random.nextInt(3) > 0) {
                b.append(random.nextBoolean() ? " " : random.nextInt(4) == 0 ? ";\n" : "\n");
            }
        }
        return b.toString();
    }

    /** Where Flyway (whole file) or pgjdbc (each of Flyway's statements) read other statements than the splitter. */
    private List<String> disagreements(String sql) {
        List<SqlStatement> ours = SqlSplitter.split(sql);
        List<String> oursText = new ArrayList<>();
        for (SqlStatement s : ours) {
            String segment = sql.substring(s.span().textFrom(), s.span().to()).trim();
            String prefix = segment.substring(0, segment.length() - s.text().length());
            if (!segment.endsWith(s.text()) || !SqlLexer.tokens(prefix).isEmpty()) {
                return List.of("the analysed text is not the end of its segment after comments: " + show(segment));
            }
            if (s.span().unterminatedCopy()) {
                return List.of("COPY data without its end");
            }
            oursText.add(segment);
        }
        List<String> flywayText;
        try {
            flywayText = new BoundaryCheck().flywayStatements(sql);   // Flyway's parser over the whole file
        } catch (FlywayException e) {
            return List.of("Flyway cannot parse it");
        }
        if (!flywayText.equals(oursText)) {
            return List.of("Flyway " + flywayText + " vs ours " + oursText);
        }
        for (int k = 0; k < ours.size(); k++) {
            String text = flywayText.get(k);
            boolean scs = ours.get(k).standardStrings();
            try {
                if (!Parser.replaceProcessing(text, true, scs).equals(text)) {
                    return List.of("pgjdbc rewrites " + show(text));
                }
                var pieces = Parser.parseJdbcSql(text, scs, false, true, false, true);
                if (pieces.size() != 1) {
                    return List.of("pgjdbc splits " + show(text) + " into " + pieces.size());
                }
                if (!pieces.get(0).nativeSql.equals(text)) {
                    return List.of("pgjdbc sends " + show(pieces.get(0).nativeSql) + " for " + show(text));
                }
            } catch (java.sql.SQLException e) {
                return List.of("pgjdbc cannot read " + show(text));
            }
        }
        return List.of();
    }

    private static String show(String sql) {
        return "`" + sql.replace("\r", "\\r").replace("\n", "\\n").replace("\f", "\\f") + "`";
    }
}
