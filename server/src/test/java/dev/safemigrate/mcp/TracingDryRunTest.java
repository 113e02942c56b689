package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.db.CatalogReader;
import dev.safemigrate.db.CatalogSnapshot;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** The dry run reports what PostgreSQL really does: locks, rewrites, diffs, data at risk. */
class TracingDryRunTest {

    @TempDir
    Path root;

    /** A project whose database already has table t(id int, note text) with 10 rows, 7 notes non-null. */
    private InProcessServer withTable(String prefix) {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create(prefix), "");
        InProcessServer s = InProcessServer.start(p.config());
        call(s.client, "create_migration", "name", "create_t", "sql", "create table t (id int primary key, note text);");
        assertFalse(call(s.client, "apply_to_dev").isError());
        TestDatabase.execute(p.database, "insert into t select g, case when g <= 7 then 'n' || g end from generate_series(1, 10) g");
        return s;
    }

    private static Result dryRun(InProcessServer s, String name, String sql) {
        Result created = call(s.client, "create_migration", "name", name, "sql", sql);
        assertFalse(created.isError(), created.toString());
        Result dry = call(s.client, "apply_to_dev", "dry_run", true);
        assertFalse(dry.isError(), dry.toString());
        return dry;
    }

    @Test
    void droppingAColumnReportsExactlyItsNonNullValues() {
        try (InProcessServer s = withTable("dropcol")) {
            Result dry = dryRun(s, "drop_note", "alter table t drop column note;");
            List<Map<String, Object>> atRisk = dry.list("dry_run_result.data_at_risk");
            assertEquals(1, atRisk.size(), atRisk.toString());
            assertEquals("column public.t.note", atRisk.get(0).get("object"));
            assertEquals("column_values", atRisk.get(0).get("what"));
            assertEquals(7, ((Number) atRisk.get(0).get("rows")).intValue());
            assertEquals(List.of("column public.t.note"), dry.get("dry_run_result.schema_diff.dropped"));
            assertTrue(dry.list("findings").stream().anyMatch(f -> f.get("severity").equals("confirm")),
                    "a traced drop is a confirm finding whatever static analysis said: " + dry.get("findings"));
            assertTrue(dry.text().contains("7 non-null value(s) lost"), dry.text());
        }
    }

    @Test
    void rowsAnUpdateOrDeleteChangedNeedConfirmationHoweverSelectiveItsWhereLooks() {
        try (InProcessServer s = withTable("rowschanged")) {
            Result none = dryRun(s, "touch_none", "update t set note = 'x' where id > 1000;");
            assertFalse(none.list("findings").stream().anyMatch(f -> f.get("rule").equals("dry-run-rows-changed")),
                    "no row changed here: " + none.get("findings"));
            assertFalse(call(s.client, "apply_to_dev").isError());

            Result all = dryRun(s, "touch_all", "update t set note = 'x' where id > 0;\ndelete from t where id > 8;");
            List<Map<String, Object>> changed = all.list("findings").stream()
                    .filter(f -> f.get("rule").equals("dry-run-rows-changed")).toList();
            assertEquals(2, changed.size(), all.get("findings").toString());
            assertTrue(changed.stream().allMatch(f -> f.get("severity").equals("confirm")));
            assertTrue(((String) changed.get(0).get("message")).contains("10 row(s) of table public.t updated"), changed.toString());
            assertTrue(((String) changed.get(1).get("message")).contains("2 row(s) of table public.t deleted"), changed.toString());
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev").errorCode());
        }
    }

    @Test
    void aDropStaticAnalysisCannotSeeBecomesAConfirmFindingFromTheTrace() {
        try (InProcessServer s = withTable("hidden")) {
            call(s.client, "create_migration", "name", "helper", "sql",
                    "create table t2 (id bigint);\n"
                            + "create function tidy() returns trigger language plpgsql as $$ begin execute 'drop table t'; return new; end $$;\n"
                            + "create trigger tidy_t2 after insert on t2 for each row execute function tidy();");
            Result dry0 = call(s.client, "apply_to_dev", "dry_run", true);
            assertTrue(dry0.list("findings").stream().anyMatch(f -> f.get("rule").equals("function-body")
                    && f.get("severity").equals("confirm")), "statically, a function body is reported: " + dry0);
            // as a least-privileged role the dry run executed it: nothing is at risk in this database, so no question
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), "creating a function and a trigger puts nothing at risk here: " + applied);
            assertEquals(List.of(), applied.list("at_risk"));
            // a trigger already in the database is not in the migration's text: static analysis sees a plain insert
            Result created = call(s.client, "create_migration", "name", "fill_t2", "sql", "insert into t2 values (1);");
            assertEquals(List.of(), created.list("findings"), "static analysis sees a harmless insert");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            Map<String, Object> traced = dry.list("findings").stream()
                    .filter(f -> f.get("rule").equals("dry-run-drop")).findFirst().orElseThrow(() -> new AssertionError(dry));
            assertEquals("confirm", traced.get("severity"));
            assertTrue(((String) traced.get("message")).contains("table public.t"), traced.toString());
            assertTrue(((String) traced.get("message")).contains("10 table rows"), traced.toString());
            Result asked = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", asked.errorCode());
            assertTrue(asked.list("at_risk").stream().anyMatch(a -> a.get("what").equals("10 row(s) lost: drops table public.t")),
                    "the person is asked about the rows the trigger would drop: " + asked);
        }
    }

    @Test
    void rowsATriggerWouldDeleteMakeTheApplyAskInsteadOfApplying() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("rowstrigger"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "audit_table", "sql",
                    "create table t (id int primary key);\ncreate table events (id bigint);\n"
                            + "create function prune() returns trigger language plpgsql as $$ begin delete from t where id > 6; "
                            + "return new; end $$;\n"
                            + "create trigger prune_t after insert on events for each statement execute function prune();");
            Result installed = call(s.client, "apply_to_dev");
            assertFalse(installed.isError(), "installing a trigger puts nothing at risk here: " + installed);
            TestDatabase.execute(p.database, "insert into t select generate_series(1, 10)");
            // a plain INSERT to static analysis; the trigger already in the database deletes 4 rows of t
            Result created = call(s.client, "create_migration", "name", "first_event", "sql", "insert into events values (1);");
            assertEquals(List.of(), created.list("findings"), "static analysis sees a harmless insert");
            Result asked = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", asked.errorCode(), asked.toString());
            assertTrue(asked.list("at_risk").stream().anyMatch(a -> a.get("what").equals("4 row(s) deleted from table public.t")),
                    "the person is asked about the rows the trigger deletes: " + asked);
            assertTrue(asked.list("findings").stream().anyMatch(f -> f.get("rule").equals("dry-run-rows-changed")
                    && ((String) f.get("message")).contains("4 row(s) of table public.t deleted")), asked.toString());
            assertEquals(10, TestDatabase.queryLong(p.database, "select count(*) from t"), "nothing was applied");
            assertEquals(0, TestDatabase.queryLong(p.database, "select count(*) from events"), "nothing was applied");
        }
    }

    @Test
    void droppingATableTruncatingAndDeletingReportTheirRows() {
        try (InProcessServer s = withTable("droptable")) {
            Result dry = dryRun(s, "wipe", "delete from t where id > 8;\ntruncate t;\ndrop table t;");
            List<Map<String, Object>> atRisk = dry.list("dry_run_result.data_at_risk");
            assertEquals(List.of("deleted_rows:2", "truncated_rows:8", "table_rows:0"), atRisk.stream()
                    .map(d -> d.get("what") + ":" + d.get("rows")).toList());
            assertEquals(2, ((Number) dry.get("dry_run_result.statements.0.rows_affected")).intValue());
        }
    }

    @Test
    void createIndexReportsShareLock() {
        try (InProcessServer s = withTable("index")) {
            Result dry = dryRun(s, "index_note", "create index t_note on t (note);");
            List<Map<String, Object>> locks = dry.list("dry_run_result.statements.0.new_locks");
            assertTrue(locks.contains(Map.of("relation", "public.t", "mode", "ShareLock")), locks.toString());
            assertEquals(List.of("index public.t_note"), dry.get("dry_run_result.schema_diff.created"));
        }
    }

    @Test
    void intToBigintReportsARewriteUnderAccessExclusiveLock() {
        try (InProcessServer s = withTable("rewrite")) {
            Result dry = dryRun(s, "widen_id", "alter table t alter column id type bigint;");
            assertEquals(List.of("public.t"), dry.get("dry_run_result.statements.0.rewrites"));
            assertTrue(dry.list("dry_run_result.statements.0.new_locks")
                    .contains(Map.of("relation", "public.t", "mode", "AccessExclusiveLock")));
            @SuppressWarnings("unchecked")
            List<String> altered = (List<String>) dry.get("dry_run_result.schema_diff.altered");
            assertTrue(altered.stream().anyMatch(a -> a.startsWith("column public.t.id: integer not null")
                    && a.endsWith("bigint not null")), altered.toString());
        }
    }

    @Test
    void aTypeChangeThatRewritesTheTableNeedsConfirmationWhateverStaticAnalysisThought() {
        try (InProcessServer s = withTable("retype")) {
            // statically every type change asks; accepted on purpose (wrongly: id is an integer) it is info,
            // but an allow comment cannot accept what the dry run sees in this database
            Result created = call(s.client, "create_migration", "name", "id_to_text", "sql",
                    "-- safemigrate:allow alter-column-type assumed id was a varchar\nalter table t alter column id type text;");
            assertFalse(created.list("findings").stream().anyMatch(f -> f.get("severity").equals("confirm")),
                    "the static finding was accepted: " + created.get("findings"));
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            Map<String, Object> traced = dry.list("findings").stream()
                    .filter(f -> f.get("rule").equals("dry-run-type-rewrite")).findFirst().orElseThrow(() -> new AssertionError(dry));
            assertEquals("confirm", traced.get("severity"));
            assertTrue(((String) traced.get("message")).contains("public.t.id"), traced.toString());
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev").errorCode());
        }
    }

    @Test
    void aRewriteWithoutTypeChangeIsAWarning() {
        try (InProcessServer s = withTable("volatile")) {
            Result dry = dryRun(s, "add_random", "alter table t add column r double precision not null default random();");
            assertEquals(List.of("public.t"), dry.get("dry_run_result.statements.0.rewrites"));
            assertTrue(dry.list("findings").stream().anyMatch(f -> f.get("severity").equals("warn")), dry.toString());
            assertFalse(dry.list("findings").stream().anyMatch(f -> f.get("rule").equals("dry-run-type-rewrite")));
        }
    }

    @Test
    void addingANullableColumnRewritesNothing() {
        try (InProcessServer s = withTable("norewrite")) {
            Result dry = dryRun(s, "add_col", "alter table t add column extra text;");
            assertEquals(List.of(), dry.get("dry_run_result.statements.0.rewrites"));
            assertEquals(List.of("column public.t.extra"), dry.get("dry_run_result.schema_diff.created"));
            assertEquals(List.of(), dry.get("dry_run_result.data_at_risk"));
        }
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseExactlyAsItWas() throws Exception {
        try (InProcessServer s = withTable("failing")) {
            String db = (String) call(s.client, "status").get("database.name");
            CatalogSnapshot before = snapshot(db);
            call(s.client, "create_migration", "name", "half", "sql",
                    "alter table t add column extra int;\ncreate index t_id2 on t (id);\nupdate t set note = upper(note);\nselect 1/0;");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertEquals(false, dry.get("dry_run_result.success"));
            assertEquals("22012", dry.get("dry_run_result.failure.sqlstate"));
            assertEquals(4, dry.get("dry_run_result.failure.line"));
            assertEquals(before, snapshot(db));

            Result apply = call(s.client, "apply_to_dev");
            assertEquals("MIGRATION_FAILED", apply.errorCode(), apply.toString());
            assertEquals(before, snapshot(db));
            assertEquals(7, TestDatabase.queryLong(db, "select count(note) from t"));
            assertEquals(0, TestDatabase.queryLong(db, "select count(*) from t where note <> lower(note)"));
        }
    }

    @Test
    void statementsThatCannotRunInATransactionAreReportedNotDryRun() {
        try (InProcessServer s = withTable("concurrently")) {
            Result dry = dryRun(s, "idx_concurrently", "create index concurrently t_note_c on t (note);");
            List<Map<String, Object>> skipped = dry.list("dry_run_result.not_dry_runnable");
            assertEquals(1, skipped.size());
            assertTrue(((String) skipped.get(0).get("reason")).contains("transaction"));
            assertEquals(0, dry.get("dry_run_result.statements_executed"));
        }
    }

    private static CatalogSnapshot snapshot(String db) throws Exception {
        try (Connection c = TestDatabase.connect(db)) {
            return CatalogReader.read(c);
        }
    }
}
