package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.testing.TestDatabase;

/**
 * The dry run reads the catalogs on the connection that runs the migration: its own reads run
 * under pinned settings ({@link TraceSettings}: search_path, plan_cache_mode), and the migration's
 * are back before its next statement.
 */
class DryRunSearchPathTest {

    private static DryRunResult run(String db, String... statements) throws Exception {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (int i = 0; i < statements.length; i++) {
            steps.add(new ScriptToRun.Step(i + 1, i + 1, statements[i], true, null));
        }
        return DryRunTracer.run(new ConnectionSettings(TestDatabase.url(db), TestDatabase.APP_ROLE, null),
                List.of(new ScriptToRun("1", "V1__x.sql", steps)), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    @Test
    void aSearchPathTheMigrationSetsHoldsForItsNextStatements() throws Exception {
        String db = TestDatabase.create("trace_path");
        DryRunResult r = run(db, "create schema app", "set search_path = app, public",
                "create table t (id bigint)", "create table u (id bigint)", "drop table t");
        assertTrue(r.success(), String.valueOf(r.failure()));
        assertTrue(r.schemaDiff().created().contains("table app.u"), r.schemaDiff().created().toString());
        assertEquals(List.of("table app.t"), r.statements().get(4).diff().droppedData().stream()
                .filter(o -> o.startsWith("table")).toList());
    }

    @Test
    void functionsAndTablesAMigrationPlantsDoNotChangeWhatTheTraceReads() throws Exception {
        String db = TestDatabase.create("trace_lies");
        DryRunResult r = run(db,
                "set search_path = public, pg_catalog",
                "create function public.format_type(oid, integer) returns text language sql as $$ select 'lie' $$",
                "create function public.pg_backend_pid() returns integer language sql as $$ select 0 $$",
                "create temp table pg_class (relname name)",
                "create table items (id bigint, note text)",
                "create index items_note on items (note)");
        assertTrue(r.success(), String.valueOf(r.failure()));
        assertTrue(r.schemaDiff().created().contains("column public.items.note"), r.schemaDiff().created().toString());
        assertTrue(r.statements().get(5).newLocks().stream().anyMatch(l -> l.relation().equals("public.items")
                && l.mode().equals("ShareLock")), "locks are read for this backend: " + r.statements().get(5).newLocks());
    }

    /**
     * The trace pins plan_cache_mode for its own reads after every statement; the migration's
     * value must be back before its next statement on every path the tracer takes: a statement
     * traced alone, one rolled back and run again (a drop), and a run of plain INSERTs kept. Each
     * check is a DO block that fails the dry run when the value is not the migration's.
     */
    @Test
    void thePlanCacheModeOfTheMigrationHoldsForItsNextStatements() throws Exception {
        String db = TestDatabase.create("trace_plan_cache");
        String isDefault = expect("auto");
        String isCustom = expect("force_custom_plan");
        StringBuilder sql = new StringBuilder("create table t (id bigint, v text);\n" + isDefault
                + "alter table t add column w text;\n" + isDefault
                + "alter table t drop column w;\n" + isDefault);
        for (int i = 0; i < 40; i++) {
            sql.append("insert into t values (").append(i).append(", 'x');\n");
        }
        sql.append(isDefault).append("set plan_cache_mode = force_custom_plan;\n")
                .append("create table u (id bigint);\n").append(isCustom)
                .append("drop table u;\n").append(isCustom);
        for (int i = 0; i < 40; i++) {
            sql.append("insert into t values (").append(i).append(", 'y');\n");
        }
        sql.append(isCustom);
        int[] kept = new int[1];
        DryRunResult r = DryRunTracer.run(new ConnectionSettings(TestDatabase.url(db), TestDatabase.APP_ROLE, null),
                List.of(analysed(sql.toString())), Duration.ofSeconds(5), Duration.ofMinutes(1),
                TrackedCatalog.Reads.TARGETED, fullReads -> {}, DryRunTracer.Runs.BATCHED, n -> kept[0] += n);
        assertTrue(r.success(), String.valueOf(r.failure()));
        assertEquals(13 + 80, r.statementsExecuted());
        assertTrue(kept[0] > 0, "no run of INSERTs was kept, so that path was not checked");
    }

    private static String expect(String planCacheMode) {
        return "do $$ begin if pg_catalog.current_setting('plan_cache_mode') <> '" + planCacheMode
                + "' then raise exception 'plan_cache_mode is %', pg_catalog.current_setting('plan_cache_mode'); end if; end $$;\n";
    }

    /** Steps as {@code PendingTrace} makes them: the analysis says which statements may join a run. */
    private static ScriptToRun analysed(String sql) {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (StatementAnalysis s : new MigrationAnalyzer().analyze(sql, "app_dev").statements()) {
            steps.add(new ScriptToRun.Step(s.index(), s.line(), s.text(), true, null,
                    s.plainDml() ? ScriptToRun.Step.plainDml(s.kind(), s.targets()) : null));
        }
        return new ScriptToRun("1", "V1__x.sql", steps);
    }
}
