package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** status names a database safemigrate has not adopted, which tool manages it, and the way out. */
class AdoptionStatusTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource({
            "_prisma_migrations, Prisma, safemigrate init --import-prisma",
            "schema_migrations, Rails, safemigrate baseline",
            "django_migrations, Django, safemigrate baseline",
            "databasechangelog, Liquibase, safemigrate baseline"})
    void namesTheToolThatManagesTheDatabaseAndTheWayOut(String table, String tool, String wayOut) {
        String db = TestDatabase.create("adopt_" + table.replace("_", ""));
        TestDatabase.execute(db, "create table users (id int); create table " + table + " (id text)");
        ProjectDir project = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertFalse(status.isError(), status.toString());
            assertEquals(false, status.get("validation.valid"), status.toString());
            String problems = String.valueOf(status.get("validation.problems"));
            assertTrue(problems.contains("no Flyway history"), problems);
            assertTrue(problems.contains("managed by " + tool), problems);
            assertTrue(problems.contains("public." + table), problems);
            assertTrue(problems.contains(wayOut), problems);
        }
    }

    @Test
    void findsAnotherToolsTableOutsideTheSearchPath() {
        String db = TestDatabase.create("adopt_otherschema");
        TestDatabase.execute(db, "create table users (id int); create schema audit; create table audit.django_migrations (id int)");
        ProjectDir project = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            String problems = String.valueOf(call(s.client, "status").get("validation.problems"));
            assertTrue(problems.contains("managed by Django (audit.django_migrations)"), problems);
        }
    }

    @Test
    void aPlainExistingSchemaIsNamedWithoutBlamingAnotherTool() {
        String db = TestDatabase.create("adopt_plain");
        TestDatabase.execute(db, "create table users (id int)");
        ProjectDir project = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            String problems = String.valueOf(call(s.client, "status").get("validation.problems"));
            assertTrue(problems.contains("no Flyway history"), problems);
            assertFalse(problems.contains("managed by"), problems);
        }
    }

    /**
     * Flyway keeps its history in the first schema of the path a new session gets, here a
     * database default; status finds it there (on its own pinned connection), not in public,
     * and a new file shows as pending once one is applied.
     */
    @Test
    void findsTheHistoryInTheSchemaFlywayUses() throws Exception {
        String db = TestDatabase.create("adopt_path");
        TestDatabase.execute(db, "create schema app");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set search_path = app, public");
        ProjectDir project = ProjectDir.create(root, db, "");
        java.nio.file.Files.createDirectories(project.migrations());
        java.nio.file.Files.writeString(project.migrations().resolve("V1__t.sql"), "create table t (id int);\n");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(1L, TestDatabase.queryLong(db, "select count(*) from app.flyway_schema_history where success"));
            Result status = call(s.client, "status");
            assertEquals(true, status.get("validation.valid"), status.toString());
            assertEquals(1, ((Number) status.get("summary.applied")).intValue(), status.toString());
            java.nio.file.Files.writeString(project.migrations().resolve("V2__u.sql"), "create table u (id int);\n");
            status = call(s.client, "status");
            assertEquals(1, ((Number) status.get("summary.pending")).intValue(), status.toString());
            TestDatabase.execute(db, "create table public.stray (id int)");   // public is not where the history is
            status = call(s.client, "status");
            assertEquals(true, status.get("validation.valid"), status.toString());
        }
    }
}
