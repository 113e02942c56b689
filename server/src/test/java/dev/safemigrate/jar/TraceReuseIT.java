package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The built jar over stdio: a confirmed apply right after its dry run reuses the trace, and rows
 * another session adds to a table the migration drops, after the person confirmed, make it trace
 * again and ask again instead of dropping them.
 */
@org.junit.jupiter.api.Timeout(300)
class TraceReuseIT {

    @TempDir
    Path root;

    private String db;

    private McpSyncClient server(String prefix) throws Exception {
        db = TestDatabase.create(prefix);
        Path dir = java.nio.file.Files.createDirectories(root.resolve(db));
        ProjectDir p = ProjectDir.create(dir, db, "");
        McpSyncClient client = JarServer.start(dir, new ArrayList<>(), "serve", "--config", p.configFile().toString());
        call(client, "create_migration", "name", "base", "sql", "create table t (id bigint primary key, note text);\n"
                + "create table doomed (id bigint);");
        assertFalse(call(client, "apply_to_dev").isError());
        TestDatabase.execute(db, "insert into t select g, 'n' || g from generate_series(1, 4) g");
        assertFalse(call(client, "create_migration", "name", "drop_them", "sql",
                "alter table t drop column note;\ndrop table doomed;").isError());
        return client;
    }

    @Test
    void theConfirmedApplyAfterADryRunDoesNotTraceAgain() throws Exception {
        // the test cluster is shared: autovacuum may commit an ANALYZE between two calls of one attempt
        for (int attempt = 1; attempt <= 3; attempt++) {
            McpSyncClient client = server("jar_reuse");
            try {
                Result dry = call(client, "apply_to_dev", "dry_run", true);
                assertEquals(false, dry.get("trace.reused"), dry.toString());
                Result refused = call(client, "apply_to_dev");
                assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
                Result applied = call(client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
                assertFalse(applied.isError(), applied.toString());
                assertFalse(TestDatabase.tableExists(db, "doomed"));
                if (Boolean.TRUE.equals(refused.get("trace.reused")) && Boolean.TRUE.equals(applied.get("trace.reused"))) {
                    assertEquals(dry.get("trace.traced_at"), applied.get("trace.traced_at"));
                    return;
                }
                Result notReused = Boolean.TRUE.equals(refused.get("trace.reused")) ? applied : refused;
                assertTrue(((String) notReused.get("trace.why")).contains("transactions completed"), notReused.toString());
            } finally {
                client.closeGracefully();
            }
        }
        fail("the trace was never reused in 3 attempts");
    }

    @Test
    void rowsAddedAfterTheConfirmationAreNotDroppedWithoutAskingAgain() throws Exception {
        McpSyncClient client = server("jar_attack");
        try {
            Result refused = call(client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            TestDatabase.execute(db, "insert into doomed select g from generate_series(1, 6) g");
            Result again = call(client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertEquals("CONFIRMATION_REQUIRED", again.errorCode(), again.toString());
            assertEquals(false, again.get("trace.reused"));
            assertTrue(again.list("at_risk").stream().anyMatch(r -> ((String) r.get("what")).startsWith("6 row(s) lost")),
                    again.toString());
            assertEquals(6, TestDatabase.queryLong(db, "select count(*) from doomed"), "the rows are still there");
            assertEquals(4, TestDatabase.queryLong(db, "select count(note) from t"));
        } finally {
            client.closeGracefully();
        }
    }
}
