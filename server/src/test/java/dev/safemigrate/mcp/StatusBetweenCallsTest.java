package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * status remembers what Flyway said between calls; whatever changed since (a file edited behind
 * the server's back, Flyway's history changed by someone else, the role given more power) is in
 * the very next answer.
 */
class StatusBetweenCallsTest {

    @TempDir
    Path root;

    @Test
    void aFileEditedBetweenCallsIsReadAgain() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("status_edit"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            assertFalse(call(s.client, "create_migration", "name", "users", "sql", "create table users (id bigint);").isError());
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertEquals(1, ((Number) call(s.client, "status").get("summary.applied")).intValue());
            Path applied = p.migrationFiles().get(0);
            Files.writeString(applied, "create table users (id bigint, email text);");
            Result after = call(s.client, "status");
            assertEquals(false, after.get("validation.valid"), "an applied file edited in place: " + after);
            assertTrue(String.valueOf(after.get("validation.problems")).toLowerCase().contains("checksum"), after.toString());
            Files.writeString(p.migrations().resolve("V99999999999999__later.sql"), "create table later (id int);");
            Files.writeString(applied, "create table users (id bigint);");
            Result restored = call(s.client, "status");
            assertEquals(true, restored.get("validation.valid"), restored.toString());
            assertEquals(1, ((Number) restored.get("summary.pending")).intValue(), restored.toString());
        }
    }

    @Test
    void aFileChangedWithItsModificationTimeForgedIsReadAgain() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("status_mtime"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            assertFalse(call(s.client, "create_migration", "name", "users", "sql", "create table users (id bigint);").isError());
            assertFalse(call(s.client, "apply_to_dev").isError());
            Result applied = call(s.client, "status");
            assertEquals(true, applied.get("validation.valid"), applied.toString());
            Path file = p.migrationFiles().get(0);
            java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            // same length, same modification time, other bytes: only the content tells them apart
            Files.writeString(file, Files.readString(file).replace("bigint", "serial"));
            Files.setLastModifiedTime(file, mtime);
            assertEquals(size, Files.size(file));
            assertEquals(mtime, Files.getLastModifiedTime(file));
            Result after = call(s.client, "status");
            assertEquals(false, after.get("validation.valid"), "an applied file edited with a forged mtime: " + after);
            assertTrue(String.valueOf(after.get("validation.problems")).toLowerCase().contains("checksum"), after.toString());
        }
    }

    @Test
    void historyChangedByAnotherClientIsReadAgain() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("status_history"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            assertFalse(call(s.client, "create_migration", "name", "users", "sql", "create table users (id bigint);").isError());
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertEquals(1, ((Number) call(s.client, "status").get("summary.applied")).intValue());
            TestDatabase.executeAsSuperuser(p.database, "update flyway_schema_history set success = false");
            Result failed = call(s.client, "status");
            assertEquals(1, ((Number) failed.get("summary.failed")).intValue(), failed.toString());
            TestDatabase.executeAsSuperuser(p.database, "delete from flyway_schema_history");
            Result pending = call(s.client, "status");
            assertEquals(1, ((Number) pending.get("summary.pending")).intValue(), pending.toString());
            assertEquals(0, ((Number) pending.get("summary.applied")).intValue(), pending.toString());
        }
    }

    @Test
    void theIdentityIsProvenOnEveryCall() {
        String role = "status_power_" + ProcessHandle.current().pid();
        String db = TestDatabase.create("status_identity");
        TestDatabase.executeAsSuperuser(db, "create role " + role + " login; grant all on schema public to " + role);
        ProjectDir p = ProjectDir.create(root, db, "");
        try {
            Files.writeString(p.configFile(), Files.readString(p.configFile())
                    .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + role + "\""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (InProcessServer s = InProcessServer.start(p.approve().config())) {
            Result before = call(s.client, "status");
            assertEquals(true, before.get("database.verified"), before.toString());
            TestDatabase.executeAsSuperuser(db, "alter role " + role + " createrole");
            Result after = call(s.client, "status");
            assertEquals(false, after.get("database.verified"), "a role given CREATEROLE between calls: " + after);
        } finally {
            TestDatabase.executeAsSuperuser("postgres", "drop owned by " + role + " cascade");
            TestDatabase.executeAsSuperuser(db, "drop owned by " + role + " cascade");
        }
    }
}
