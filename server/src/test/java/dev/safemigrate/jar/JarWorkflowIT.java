package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** The shaded jar, as a subprocess over stdio, through the whole workflow and the embedded default. */
@org.junit.jupiter.api.Timeout(300)
class JarWorkflowIT {

    @TempDir
    Path root;

    @Test
    void wholeWorkflowAgainstAConfiguredDatabase() throws Exception {
        String db = TestDatabase.create("jar");
        ProjectDir p = ProjectDir.create(root, db, "");
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        List<String> stderr = new ArrayList<>();
        McpSyncClient client = JarServer.start(elsewhere, stderr, "serve", "--config", p.configFile().toString());
        try {
            assertEquals(5, client.listTools().tools().size());
            assertEquals(true, call(client, "status").get("database.verified"));
            Result created = call(client, "create_migration", "name", "create_customers",
                    "sql", "create table customers (id bigint generated always as identity primary key, email text not null);");
            assertFalse(created.isError(), created.toString());
            assertTrue(Files.isRegularFile(root.resolve((String) created.get("path"))),
                    "paths are relative to the config file's folder, not the working directory");
            assertEquals(1, call(client, "show_sql", "pending", true).list("migrations").size());

            Result dry = call(client, "apply_to_dev", "dry_run", true);
            assertEquals(true, dry.get("dry_run_result.success"), dry.toString());
            assertFalse(TestDatabase.tableExists(db, "customers"));

            Result applied = call(client, "apply_to_dev");
            assertEquals(created.get("version"), applied.get("applied.0.version"), applied.toString());
            assertTrue(TestDatabase.tableExists(db, "customers"));

            Result status = call(client, "status");
            assertEquals("applied", status.get("migrations.0.state"));
            assertEquals(created.get("checksum"), status.get("migrations.0.checksum"));

            TestDatabase.execute(db, "insert into customers (email) select 'c' || g || '@example.com' from generate_series(1, 42) g");
            Result backup = call(client, "backup");
            assertFalse(backup.isError(), backup.toString());
            assertTrue(Files.isRegularFile(root.resolve((String) backup.get("backup.path"))));
            long customers = backup.list("backup.tables").stream().filter(t -> t.get("name").equals("customers"))
                    .mapToLong(t -> ((Number) t.get("rows")).longValue()).sum();
            assertEquals(42, customers);
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void withoutConfigItRunsOnAnEmbeddedDatabaseThatSurvivesRestarts() {
        List<String> stderr = new ArrayList<>();
        McpSyncClient first = JarServer.start(root, stderr);
        String version;
        try {
            Result status = call(first, "status");
            assertEquals(true, status.get("database.verified"), status.toString());
            assertEquals("safemigrate_dev", status.get("database.name"));
            assertEquals("dev", status.get("database.environment"));
            version = (String) call(first, "create_migration", "name", "notes", "sql", "create table notes (body text);")
                    .get("version");
            assertFalse(call(first, "apply_to_dev").isError());
        } finally {
            first.closeGracefully();
        }
        assertTrue(Files.isDirectory(root.resolve(".safemigrate/pgdata")));

        McpSyncClient second = JarServer.start(root, stderr);
        try {
            Result status = call(second, "status");
            List<Map<String, Object>> migrations = status.list("migrations");
            assertEquals(1, migrations.size(), status.toString());
            assertEquals(version, migrations.get(0).get("version"));
            assertEquals("applied", migrations.get(0).get("state"));
        } finally {
            second.closeGracefully();
        }
    }
}
