package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.analysis.BoundaryCheck;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.testing.TestDatabase;

/**
 * What Flyway and pgjdbc really send to PostgreSQL for the boundary cases BoundaryCheck reasons
 * about, against the embedded server: a BEGIN ATOMIC body with inner semicolons arrives whole (pgjdbc
 * does not split a CREATE after BEGIN ATOMIC, Flyway keeps the body to its END), a nested CASE in such
 * a body is split by Flyway and rejected by the server, and a carriage return ends a line comment.
 */
class BoundariesThroughFlywayTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    @TempDir
    Path dir;

    @Test
    void beginAtomicBodyWithInnerSemicolonsRunsAsOneStatement() throws Exception {
        String sql = "CREATE FUNCTION two() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
                + "  SELECT CASE WHEN true THEN 2 END;\nEND;\nCREATE TABLE after_function (id int);\n";
        assertFalse(ANALYZER.analyze(sql).ruleIds().contains(BoundaryCheck.RULE));
        String db = migrate(sql);
        assertEquals(2, queryInt(db, "SELECT two()"));
        assertEquals(1, queryInt(db, "SELECT count(*) FROM pg_class WHERE relname = 'after_function'"));
    }

    @Test
    void nestedCaseInBeginAtomicIsBlockedAndFlywaysSplitIsRejectedByTheServer() throws Exception {
        String sql = "CREATE FUNCTION nested() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN true THEN CASE WHEN false THEN 1 ELSE 2 END END;\nEND;\n";
        assertTrue(ANALYZER.analyze(sql).ruleIds().contains(BoundaryCheck.RULE));
        String db = TestDatabase.create("boundary");
        assertThrows(FlywayException.class, () -> migrate(db, sql));
        assertEquals(0, queryInt(db, "SELECT count(*) FROM pg_proc WHERE proname = 'nested'"));
    }

    @Test
    void carriageReturnEndsALineCommentOnTheServer() throws Exception {
        String sql = "CREATE TABLE kept (id int);\nCREATE TABLE doomed (id int);\n-- note\rDROP TABLE doomed;\n";
        assertTrue(ANALYZER.analyze(sql).ruleIds().contains("drop-table"));
        String db = migrate(sql);
        assertEquals(0, queryInt(db, "SELECT count(*) FROM pg_class WHERE relname = 'doomed'"),
                "the DROP after \\r ran, as the analysis said it would");
    }

    private String migrate(String sql) throws Exception {
        String db = TestDatabase.create("boundary");
        migrate(db, sql);
        return db;
    }

    private void migrate(String db, String sql) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(db));
        Files.writeString(folder.resolve("V1__boundary.sql"), sql);
        Flyway.configure().loggers("slf4j").dataSource(TestDatabase.url(db), "postgres", null)
                .locations("filesystem:" + folder).placeholderReplacement(false).load().migrate();
    }

    private static int queryInt(String db, String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
