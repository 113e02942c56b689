package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The dry run reads the catalogs on the connection that runs the migration: its own reads run
 * under a pinned search_path, and the migration's path is back before its next statement.
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
}
