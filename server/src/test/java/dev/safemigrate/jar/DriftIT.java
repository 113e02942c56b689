package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
 * The built jar over stdio: DDL someone runs against the dev database outside safemigrate between
 * two applies (psql, prisma db push) is reported by name, and the next apply runs nothing on that
 * schema until a person said yes.
 */
@org.junit.jupiter.api.Timeout(300)
class DriftIT {

    @TempDir
    Path root;

    @Test
    void ddlOutsideIsAskedAboutAndNothingRunsBeforeTheYes() throws Exception {
        String db = TestDatabase.create("jar_drift");
        ProjectDir p = ProjectDir.create(root, db, "");
        List<String> stderr = new ArrayList<>();
        McpSyncClient client = JarServer.start(root, stderr, "serve", "--config", p.configFile().toString());
        try {
            call(client, "create_migration", "name", "base", "sql", "create table t (id bigint primary key, note text);");
            Result first = call(client, "apply_to_dev");
            assertFalse(first.isError(), first.toString());
            assertTrue(Files.isRegularFile(p.config().keys().file("schema-record.json")), "recorded outside the project");

            TestDatabase.execute(db, "create table pushed (id int); alter table t add column extra text; "
                    + "insert into t values (1, 'kept', 'x')");

            Result status = call(client, "status");
            assertEquals("changed", status.get("drift.state"), status.toString());
            assertEquals(List.of("column public.t.extra", "table public.pushed"), status.get("drift.created"));

            call(client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result refused = call(client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            assertEquals(List.of("column public.t.extra", "table public.pushed"), refused.get("drift.created"));
            assertFalse(TestDatabase.tableExists(db, "orders"), "nothing ran before the yes");
            assertEquals(1, TestDatabase.queryLong(db, "select count(*) from flyway_schema_history where version is not null"),
                    "only the first migration is in the history");

            Result applied = call(client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertFalse(applied.isError(), applied.toString());
            assertTrue(TestDatabase.tableExists(db, "orders"));
            assertEquals("none", call(client, "status").get("drift.state"));
        } finally {
            client.closeGracefully();
        }
    }
}
