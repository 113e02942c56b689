package dev.safemigrate.tools;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The apply after a dry run reuses the dry run's trace only when nothing it saw can have changed,
 * against a real PostgreSQL: another session's rows, schema change or sequence step between the
 * two calls, a commit while the dry run ran, or an edited file make it trace again, and the data
 * is not dropped without a person confirming what is at risk now.
 */
class TraceReuseTest {

    /** The test cluster is shared: autovacuum may commit an ANALYZE between two calls of one attempt. */
    private static final int ATTEMPTS = 3;

    @TempDir
    Path root;

    private ProjectDir project;
    private int projects;

    /**
     * Applied: t(id, note) with 10 rows, 7 notes; an empty table doomed; a sequence s, stepped once
     * so that the next steps write neither WAL nor a transaction. Pending: {@code pendingSql}.
     */
    private InProcessServer server(String prefix, String pendingSql) {
        Path dir = root.resolve(prefix + "_" + (++projects));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        project = ProjectDir.create(dir, TestDatabase.create(prefix), "");
        InProcessServer s = InProcessServer.start(project.config());
        call(s.client, "create_migration", "name", "base", "sql",
                "create table t (id bigint primary key, note text);\ncreate table doomed (id bigint);\ncreate sequence s;");
        assertFalse(call(s.client, "apply_to_dev").isError());
        TestDatabase.execute(project.database, "insert into t select g, case when g <= 7 then 'n' || g end "
                + "from generate_series(1, 10) g; select nextval('s')");
        assertFalse(call(s.client, "create_migration", "name", "pending", "sql", pendingSql).isError());
        return s;
    }

    private static boolean reused(Result r) {
        Object reused = r.get("trace.reused");
        assertNotNull(reused, "every traced result says where its trace came from: " + r);
        return (Boolean) reused;
    }

    private static String why(Result r) {
        return (String) r.get("trace.why");
    }

    private long count(String sql) {
        return TestDatabase.queryLong(project.database, sql);
    }

    private boolean noteExists() {
        return count("select count(*) from information_schema.columns where table_name = 't' and column_name = 'note'") == 1;
    }

    @Test
    void dryRunThenConfirmedApplyTracesOnceEvenWithStatusAndABackupInBetween() throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (InProcessServer s = server("reuse", "alter table t drop column note;\ndrop table doomed;")) {
                Result dry = call(s.client, "apply_to_dev", "dry_run", true);
                assertFalse(dry.isError(), dry.toString());
                assertFalse(reused(dry), "the first dry run executes the migrations");
                // what a person may do before answering: neither writes a transaction
                assertFalse(call(s.client, "status").isError());
                assertFalse(call(s.client, "backup", "label", "look").isError());
                Result refused = call(s.client, "apply_to_dev");
                assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
                assertTrue(noteExists());
                Result applied = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
                assertFalse(applied.isError(), applied.toString());
                assertFalse(noteExists(), "applied");
                if (reused(refused) && reused(applied)) {
                    assertEquals(dry.get("trace.traced_at"), applied.get("trace.traced_at"));
                    assertTrue(applied.text().contains("Trace reused"), applied.text());
                    List<dev.safemigrate.audit.AuditEntry> audit = dev.safemigrate.audit.AuditReader
                            .read(project.config().audit().log()).stream().map(dev.safemigrate.audit.AuditReader.Line::entry)
                            .toList();
                    assertEquals(true, audit.get(audit.size() - 1).summary().get("trace_reused"),
                            "the audit line says the apply reused the trace: " + audit.get(audit.size() - 1));
                    assertEquals(true, audit.get(audit.size() - 2).summary().get("trace_reused"), "and the refusal too");
                    assertTrue(((List<?>) applied.get("schema_diff.dropped")).containsAll(
                            List.of("column public.t.note", "table public.doomed")), applied.toString());
                    return;
                }
                // only a transaction of someone else (autovacuum's ANALYZE in the shared test cluster) may explain it
                Result notReused = reused(refused) ? applied : refused;
                assertTrue(why(notReused).contains("transactions completed in the cluster"), notReused.toString());
            }
        }
        fail("the trace was never reused in " + ATTEMPTS + " attempts");
    }

    @Test
    void rowsInsertedAfterTheConfirmationAreTracedAndNotDroppedWithoutANewOne() throws Exception {
        try (InProcessServer s = server("attack_rows", "alter table t drop column note;\ndrop table doomed;")) {
            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode());
            assertTrue(refused.list("at_risk").stream().noneMatch(r -> ((String) r.get("what")).contains("doomed")),
                    "doomed is empty when the person confirms: " + refused);
            // the attack: between the confirmation and the confirmed apply, another session fills doomed
            TestDatabase.execute(project.database, "insert into doomed select g from generate_series(1, 5) g");
            Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertEquals("CONFIRMATION_REQUIRED", again.errorCode(), again.toString());
            assertFalse(reused(again), "the cluster changed, so it traced again");
            assertTrue(why(again).contains("transactions completed in the cluster"), why(again));
            assertTrue(again.list("at_risk").stream().anyMatch(r -> ((String) r.get("what")).startsWith("5 row(s) lost")),
                    again.toString());
            assertEquals(5, count("select count(*) from doomed"), "the rows are still there");
            assertTrue(noteExists());
        }
    }

    @Test
    void aDryRunShowingNothingAtRiskDoesNotCoverRowsAddedSince() {
        try (InProcessServer s = server("attack_empty", "drop table doomed;")) {
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertEquals(List.of(), dry.list("at_risk"), "nothing at risk in an empty table: no question for a person");
            TestDatabase.execute(project.database, "insert into doomed values (1), (2), (3)");
            Result apply = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertFalse(reused(apply));
            assertEquals(3, count("select count(*) from doomed"));
        }
    }

    @Test
    void aSchemaChangedByAnotherSessionIsTracedAgain() {
        try (InProcessServer s = server("attack_schema", "drop table if exists legacy;")) {
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertEquals(List.of(), dry.list("at_risk"));
            TestDatabase.execute(project.database, "create table legacy (id int); insert into legacy values (1), (2)");
            Result apply = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertFalse(reused(apply));
            assertEquals(2, count("select count(*) from legacy"));
        }
    }

    @Test
    void anEditedMigrationIsTracedAgainAndItsTokenRefused() throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (InProcessServer s = server("edited", "alter table t drop column note;")) {
                Result refused = call(s.client, "apply_to_dev");
                Path pending = project.migrationFiles().stream().filter(f -> f.toString().contains("pending"))
                        .findFirst().orElseThrow();
                Files.writeString(pending, "alter table t drop column note;\ndrop table t;\n");
                Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
                // the harm is checked on every attempt: the edited file is asked about, nothing ran
                assertEquals("CONFIRMATION_REQUIRED", again.errorCode());
                assertFalse(reused(again));
                assertTrue(noteExists());
                if (why(again).contains("pending migrations differ")) {
                    return;
                }
                // another test's commit landed during the first dry run, which is then never kept:
                // the edit was not what made it trace again, so this attempt proves nothing about it
                assertTrue(why(refused).contains("committed while this dry run ran"), why(refused) + " / " + why(again));
            }
        }
        fail("the first dry run was never kept in " + ATTEMPTS + " attempts");
    }

    @Test
    void aSequenceSteppedWithoutAnyTransactionIsTracedAgain() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (InProcessServer s = server("sequence", "alter table t drop column note;")) {
                Result refused = call(s.client, "apply_to_dev");
                // logged ahead by the first nextval: this step writes no WAL and takes no transaction id
                TestDatabase.execute(project.database, "select nextval('s')");
                Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
                assertFalse(again.isError(), again.toString());
                assertFalse(reused(again));
                if (why(again).contains("a sequence advanced since")) {
                    return;
                }
                assertTrue(why(again).contains("transactions completed in the cluster"), why(again));
            }
        }
        fail("never told apart from autovacuum's transactions in " + ATTEMPTS + " attempts");
    }

    @Test
    void unloggedTablesRefuseTheProof() {
        try (InProcessServer s = server("unlogged", "alter table t drop column note;")) {
            TestDatabase.execute(project.database, "create unlogged table scratch (id int)");
            Result refused = call(s.client, "apply_to_dev");
            Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertFalse(again.isError(), again.toString());
            assertFalse(reused(again));
            assertTrue(why(again).contains("unlogged or temporary tables"), why(again));
        }
    }

    @Test
    void aCommitWhileTheDryRunRunsKeepsItFromBeingReused() throws Exception {
        try (InProcessServer s = server("during", "drop table doomed;");
             Connection other = TestDatabase.connect(project.database)) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("insert into doomed values (1)"); // holds a lock the DROP waits for
            }
            CompletableFuture<Result> dry = CompletableFuture.supplyAsync(() -> call(s.client, "apply_to_dev", "dry_run", true));
            waitForTheDryRunToWait();
            other.commit();
            Result r = dry.get(30, TimeUnit.SECONDS);
            assertFalse(r.isError(), r.toString());
            assertTrue(why(r).contains("committed while this dry run ran"), why(r));
            Result apply = call(s.client, "apply_to_dev");
            assertFalse(reused(apply), apply.toString());
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertEquals(1, count("select count(*) from doomed"));
        }
    }

    private void waitForTheDryRunToWait() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (TestDatabase.queryLong(project.database, "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                    + "and query ilike 'drop table doomed%'") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the dry run never waited for the lock");
    }

    @Test
    void expiredDifferentOrMissingEntriesAreNotReused() {
        dev.safemigrate.db.ClusterMark mark = new dev.safemigrate.db.ClusterMark("10:10:", "7", 5, "t0", 0, 0, "d", false);
        TraceMemo.Key key = new TraceMemo.Key(List.of("1:aa"), "scripts", null, java.time.Duration.ofSeconds(5),
                java.time.Duration.ofMinutes(10));
        java.time.Instant at = java.time.Instant.parse("2026-11-25T12:00:00Z");
        TraceMemo.Entry entry = new TraceMemo.Entry(key, mark, null, at);
        assertEquals(null, TraceMemo.whyNotReusable(entry, key, mark, at.plusSeconds(60)));
        assertNotNull(TraceMemo.whyNotReusable(null, key, mark, at));
        assertNotNull(TraceMemo.whyNotReusable(entry, key, mark, at.plus(TraceMemo.MAX_AGE).plusSeconds(1)));
        assertNotNull(TraceMemo.whyNotReusable(entry, key, mark, at.minusSeconds(1)), "a clock that went back proves nothing");
        assertNotNull(TraceMemo.whyNotReusable(entry, new TraceMemo.Key(List.of("1:ab"), "scripts", null,
                key.lockTimeout(), key.statementTimeout()), mark, at));
        assertNotNull(TraceMemo.whyNotReusable(entry, new TraceMemo.Key(key.migrations(), "held back", null,
                key.lockTimeout(), key.statementTimeout()), mark, at), "the same files, executed differently");
        assertNotNull(TraceMemo.whyNotReusable(entry, new TraceMemo.Key(key.migrations(), key.scripts(), null,
                java.time.Duration.ofSeconds(1), key.statementTimeout()), mark, at));
        for (dev.safemigrate.db.ClusterMark changed : List.of(
                new dev.safemigrate.db.ClusterMark("10:11:", "7", 5, "t0", 0, 0, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "8", 5, "t0", 0, 0, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "7", 6, "t0", 0, 0, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "7", 5, "t1", 0, 0, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "7", 5, "t0", 1, 0, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "7", 5, "t0", 0, 1, "d", false),
                new dev.safemigrate.db.ClusterMark("10:10:", "7", 5, "t0", 0, 0, "e", false))) {
            assertNotNull(TraceMemo.whyNotReusable(entry, key, changed, at), changed.toString());
        }
    }
}
