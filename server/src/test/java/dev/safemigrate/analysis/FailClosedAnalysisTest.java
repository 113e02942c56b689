package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What analysis does when it does not know: statements about a database when the development
 * database is not known, and which statements the dry run must not execute ({@code executesCode}).
 */
class FailClosedAnalysisTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    private static List<String> rules(MigrationAnalysis a) {
        return a.findings().stream().map(f -> f.rule() + "/" + f.severity().id()).toList();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"ALTER DATABASE app_dev SET lock_timeout = '5s'", "COMMENT ON DATABASE app_dev IS 'dev'",
        "GRANT CONNECT ON DATABASE app_dev TO app", "SECURITY LABEL ON DATABASE app_dev IS 'x'"})
    void everyStatementOnADatabaseIsBlockedWhenTheDevDatabaseIsNotKnown(String sql) {
        assertTrue(rules(ANALYZER.analyze(sql)).contains("other-database/block"), sql);
        assertTrue(rules(ANALYZER.analyze(sql, null)).contains("other-database/block"), sql);
        assertFalse(rules(ANALYZER.analyze(sql, "app_dev")).contains("other-database/block"), sql);
        assertTrue(rules(ANALYZER.analyze(sql, "production")).contains("other-database/block"), sql);
    }

    @Test
    void databaseNamesAreComparedAsPostgresqlResolvesThem() {
        assertFalse(rules(ANALYZER.analyze("ALTER DATABASE App_Dev SET work_mem = '64MB'", "app_dev")).contains("other-database/block"));
        assertTrue(rules(ANALYZER.analyze("ALTER DATABASE \"App_Dev\" SET work_mem = '64MB'", "app_dev")).contains("other-database/block"));
        assertFalse(rules(ANALYZER.analyze("ALTER DATABASE \"App_Dev\" SET work_mem = '64MB'", "App_Dev")).contains("other-database/block"));
        assertTrue(rules(ANALYZER.analyze("ALTER DATABASE App_Dev SET work_mem = '64MB'", "App_Dev")).contains("other-database/block"));
    }

    @Test
    void createAndDropDatabaseAreBlockedEvenForTheDevName() {
        assertTrue(rules(ANALYZER.analyze("CREATE DATABASE app_dev", "app_dev")).contains("other-database/block"));
        assertTrue(rules(ANALYZER.analyze("DROP DATABASE app_dev", "app_dev")).contains("drop-database/block"));
    }

    private static boolean executes(String sql) {
        List<StatementAnalysis> s = ANALYZER.analyze(sql, "app_dev").statements();
        return s.get(s.size() - 1).executesCode();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"SELECT f()", "SELECT app.f()", "INSERT INTO t VALUES (f())", "UPDATE t SET a = f() WHERE id = 1",
        "DELETE FROM t WHERE app.stale(id)", "DO $$ BEGIN NULL; END $$", "CALL p()", "EXECUTE stmt", "LOAD 'x'",
        "FROBNICATE", "EXPLAIN ANALYZE SELECT f()", "EXPLAIN SELECT f()", "CREATE INDEX i ON t (app.f(x))",
        "ALTER TABLE t ADD COLUMN c int DEFAULT app.f()", "CREATE TABLE t2 AS SELECT f() AS x",
        "REFRESH MATERIALIZED VIEW mv", "SELECT pg_read_file('x')", "SELECT public.lower('x')",
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();\nINSERT INTO t VALUES (1)",
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nUPDATE t SET a = 1 WHERE id = 1",
        "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f();\nCREATE TABLE x (id bigint)",
        "ALTER TABLE t ENABLE TRIGGER trg;\nINSERT INTO t VALUES (1)"})
    void executesCodeWhereRunningTheStatementRunsCodeAnalysisCannotSee(String sql) {
        assertTrue(executes(sql), sql);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"SELECT now(), lower('x'), count(*) FROM t", "INSERT INTO t VALUES (1, 'x', now())",
        "UPDATE t SET a = coalesce(b, 0) WHERE id = 1", "DELETE FROM t WHERE id = 1", "CREATE TABLE t (id bigint)",
        "CREATE TABLE t (id uuid DEFAULT app.new_id())", "CREATE VIEW v AS SELECT f(x) FROM t",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "ALTER TABLE t ADD COLUMN c text",
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()", "EXPLAIN SELECT 1",
        "CREATE INDEX CONCURRENTLY i ON t (lower(email))", "SET lock_timeout = '5s'", "DROP TABLE t",
        "INSERT INTO t VALUES (1);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'"})
    void doesNotExecuteCodeWhereOnlyBuiltinsRunOrCodeIsOnlyDefined(String sql) {
        assertFalse(executes(sql), sql);
    }

    @Test
    void theWhitelistIsExplicitAndAQualifiedCallIsAUserFunction() {
        assertTrue(BuiltinFunctions.sideEffectFree(null, "now"));
        assertTrue(BuiltinFunctions.sideEffectFree("pg_catalog", "lower"));
        assertFalse(BuiltinFunctions.sideEffectFree("public", "lower"));
        for (String f : List.of("set_config", "setval", "pg_sleep", "pg_read_file", "dblink", "lo_import", "lo_create",
                "pg_terminate_backend", "query_to_xml", "pg_advisory_lock", "uuid_generate_v4", "f")) {
            assertFalse(BuiltinFunctions.sideEffectFree(null, f), f);
        }
    }

    @Test
    void aTrivialWhereIsReportedWhereverTheDeleteIs() {
        assertEquals(List.of("delete-without-where/confirm"),
                rules(ANALYZER.analyze("EXPLAIN ANALYZE DELETE FROM t WHERE 1 = 1", "app_dev")));
    }
}
