package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

class StatusCommandTest {

    @TempDir
    Path root;

    @Test
    void showsTheIdentityFirstThenMigrationsAndSchemas() throws Exception {
        String db = TestDatabase.create("cli_status");
        TestDatabase.execute(db, "create schema billing; create table billing.invoices (id int)");
        ProjectDir project = ProjectDir.create(root, db, "");
        Files.createDirectories(project.migrations());
        Files.writeString(project.migrations().resolve("V1__create_items.sql"), "create table items (id int);\n");

        CommandRun r = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Database     " + db + " on localhost:" + TestDatabase.port() + " as " + TestDatabase.APP_ROLE),
                lines.get(0));
        assertTrue(r.out().contains("Verdict      VERIFIED development database"), r.out());
        assertTrue(r.out().contains("Migrations   0 applied, 1 pending, 0 failed  (db/migrations)"), r.out());
        assertTrue(r.out().contains("  1               pending  create items"), r.out());
        assertTrue(r.out().contains("billing                 1 tables, 0 views  (not in search_path)"), r.out());
        assertTrue(r.out().contains("Last backup  none"), r.out());
        assertTrue(r.out().contains("Config       " + project.configFile()), r.out());
    }

    @Test
    void aHistoryTooLongForTheAgentsOverviewIsShownWhole() throws Exception {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("cli_status_long"), "");
        Files.createDirectories(project.migrations());
        for (int v = 1; v <= 150; v++) {
            Files.writeString(project.migrations().resolve("V" + v + "__create_table_number_" + v + ".sql"),
                    "create table t" + v + " (id int);\n");
        }
        CommandRun r = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Migrations   0 applied, 150 pending, 0 failed"), r.out());
        for (int v = 1; v <= 150; v++) {
            assertTrue(r.out().contains("\n  " + String.format("%-16s", v) + "pending  create table number " + v + "\n"),
                    "migration " + v + ":\n" + r.out());
        }
    }

    @Test
    void aDatabaseThatIsNotDevIsReportedWithItsProblemsAndExitsZero() throws Exception {
        String db = TestDatabase.create("cli_status_marked");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Marker       safemigrate.environment = 'production'"), r.out());
        assertTrue(r.out().contains("NOT the development database"), r.out());
        assertTrue(r.out().contains("- database '" + db + "' is marked safemigrate.environment = 'production'"), r.out());
    }

    @Test
    void anUnreachableDatabaseExitsOneAndSaysWhatToCheck() throws Exception {
        Files.writeString(root.resolve("safemigrate.toml"), """
                [dev]
                url = "jdbc:postgresql://localhost:1/app_dev"
                user = "app"
                """);
        CommandRun r = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("safemigrate status: DATABASE_UNREACHABLE: cannot connect"), r.err());
        assertTrue(r.err().contains("Fix: Check that the database is running"), r.err());
    }
}
