package dev.safemigrate.tools;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The apply reuses the dry run's trace through what autovacuum does after it (transactions that
 * change no visible row), and still traces again when another session changed rows the
 * migration reads, even rows it deleted and vacuumed away so that no row version is left to find.
 */
class TraceReuseAfterAutovacuumTest {

    @TempDir
    Path root;

    private ProjectDir project;

    /** Applied: t(id, note) with 10 rows and keep(id) listing all 10. Pending: {@code pendingSql}. */
    private InProcessServer server(String prefix, String pendingSql) throws IOException {
        Path dir = root.resolve(prefix);
        Files.createDirectories(dir);
        project = ProjectDir.create(dir, TestDatabase.create(prefix), "");
        InProcessServer s = InProcessServer.start(project.config());
        call(s.client, "create_migration", "name", "base", "sql",
                "create table t (id bigint primary key, note text);\ncreate table keep (id bigint);");
        assertFalse(call(s.client, "apply_to_dev").isError());
        TestDatabase.execute(project.database, "insert into t select g, 'n' || g from generate_series(1, 10) g;"
                + "insert into keep select g from generate_series(1, 10) g");
        assertFalse(call(s.client, "create_migration", "name", "pending", "sql", pendingSql).isError());
        return s;
    }

    @Test
    void analyzeAndATruncatingVacuumAfterTheDryRunDoNotForceASecondTrace() throws IOException {
        try (InProcessServer s = server("autovacuum", "insert into t select g, 'new' from generate_series(11, 3000) g;")) {
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            // what autovacuum does to the rolled-back rows: each commits a transaction, neither changes a visible row
            TestDatabase.executeAsSuperuser(project.database, "analyze t");
            TestDatabase.executeAsSuperuser(project.database, "vacuum t");
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(true, applied.get("trace.reused"), applied.toString());
            assertTrue(((String) applied.get("trace.why")).contains("changed no row or object"), applied.toString());
            assertEquals(3000, TestDatabase.queryLong(project.database, "select count(*) from t"));
        }
    }

    @Test
    void rowsDeletedAndVacuumedAwayAfterTheDryRunAreTracedAgainAndAskedAbout() throws IOException {
        try (InProcessServer s = server("attack_vacuum", "delete from t where id not in (select id from keep);")) {
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(List.of(), dry.list("at_risk"), "every row is kept when the dry run runs: " + dry);
            // the attack: another session empties half of keep, and VACUUM removes every trace of the deleted rows
            TestDatabase.execute(project.database, "delete from keep where id > 5");
            TestDatabase.executeAsSuperuser(project.database, "vacuum keep");
            Result apply = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertEquals(false, apply.get("trace.reused"), apply.toString());
            assertTrue(((String) apply.get("trace.why")).contains("changed rows or objects"), apply.toString());
            assertEquals(10, TestDatabase.queryLong(project.database, "select count(*) from t"), "nothing was deleted");
        }
    }
}
