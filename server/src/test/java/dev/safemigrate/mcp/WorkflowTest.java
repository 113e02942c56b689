package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.backup.BackupStore;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** The whole agent workflow through the real MCP client, against a real PostgreSQL. */
class WorkflowTest {

    @TempDir
    Path root;

    @Test
    void statusCreateShowDryRunApplyStatusBackup() throws Exception {
        String db = TestDatabase.create("workflow");
        ProjectDir project = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertFalse(status.isError(), status.toString());
            assertEquals(true, status.get("database.verified"));
            assertEquals(db, status.get("database.name"));
            assertTrue(List.of("127.0.0.1", "::1").contains(status.get("database.server_address")), status.toString());
            assertEquals(0, status.list("migrations").size());

            Result created = call(s.client, "create_migration", "name", "create_orders",
                    "sql", "create table orders (id bigint primary key, note text);\ncomment on table orders is 'orders';");
            assertFalse(created.isError(), created.toString());
            assertEquals(2, created.get("statement_count"));
            String version = (String) created.get("version");
            assertTrue(version.matches("\\d{14}"), version);
            Path file = root.resolve((String) created.get("path"));
            assertEquals("V" + version + "__create_orders.sql", file.getFileName().toString());
            assertTrue(Files.isRegularFile(file));

            Result shown = call(s.client, "show_sql", "pending", true);
            assertEquals(1, shown.list("migrations").size());
            assertEquals(version, shown.get("migrations.0.version"));
            assertEquals(Files.readString(file), shown.get("migrations.0.sql"));
            assertEquals("pending", shown.get("migrations.0.state"));
            assertEquals(2, shown.list("migrations.0.statements").size());

            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(true, dry.get("dry_run_result.success"));
            assertEquals(2, dry.get("dry_run_result.statements_executed"));
            assertFalse(TestDatabase.tableExists(db, "orders"), "a dry run must leave the database unchanged");

            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(version, applied.get("applied.0.version"));
            assertTrue(TestDatabase.tableExists(db, "orders"));

            Result after = call(s.client, "status");
            Map<String, Object> m = after.list("migrations").get(0);
            assertEquals("applied", m.get("state"));
            assertEquals(version, m.get("version"));
            assertEquals(created.get("checksum"), m.get("checksum"), "our checksum must equal Flyway's");
            assertEquals(1, after.get("summary.applied"));

            TestDatabase.execute(db, "insert into orders values (1, 'a'), (2, 'b'), (3, null)");
            Result backup = call(s.client, "backup", "label", "after_orders");
            assertFalse(backup.isError(), backup.toString());
            Path dump = root.resolve((String) backup.get("backup.path"));
            assertTrue(Files.isRegularFile(dump));
            assertEquals(Files.size(dump), ((Number) backup.get("backup.bytes")).longValue());
            assertEquals(BackupStore.sha256(dump), backup.get("backup.sha256"));
            List<Map<String, Object>> tables = backup.list("backup.tables");
            assertEquals(3, rowsOf(tables, "orders"));
            assertEquals(1, rowsOf(tables, "flyway_schema_history"));
            assertTrue(Files.isRegularFile(dump.resolveSibling(dump.getFileName() + ".json")), "manifest beside the dump");

            Result last = call(s.client, "status");
            assertEquals(backup.get("backup.file"), last.get("last_backup.file"));
        }
    }

    @Test
    void backupKeepsTheNewestAndNeverReplacesOne() throws Exception {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("retention"), "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            java.util.List<String> files = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Result r = call(s.client, "backup");
                assertFalse(r.isError(), r.toString());
                files.add((String) r.get("backup.file"));
                assertEquals(i < 3 ? List.of() : List.of(files.get(i - 3)), r.get("removed"), "backup " + i);
            }
            assertEquals(5, new java.util.HashSet<>(files).size(), "every backup has its own file");
            List<String> left = project.backupFiles().stream().map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of(files.get(2), files.get(2) + ".json", files.get(3), files.get(3) + ".json",
                    files.get(4), files.get(4) + ".json"), left, "keep = 3: the newest three with their manifests");
        }
    }

    private static long rowsOf(List<Map<String, Object>> tables, String name) {
        return tables.stream().filter(t -> t.get("name").equals(name)).mapToLong(t -> ((Number) t.get("rows")).longValue())
                .findFirst().orElseThrow(() -> new AssertionError("no table " + name + " in " + tables));
    }
}
