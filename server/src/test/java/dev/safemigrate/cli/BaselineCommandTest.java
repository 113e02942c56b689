package dev.safemigrate.cli;

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

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

class BaselineCommandTest {

    @TempDir
    Path root;

    /** A database made before safemigrate: what V1 and V2 create is there, V3 is new work. */
    private ProjectDir existingProject(String prefix) throws Exception {
        String db = TestDatabase.create(prefix);
        TestDatabase.execute(db, "create table customers (id int primary key); create table orders (id int primary key)");
        ProjectDir project = ProjectDir.create(root, db, "");
        Files.createDirectories(project.migrations().resolve("sub"));
        Files.writeString(project.migrations().resolve("V1__customers.sql"), "create table customers (id int primary key);\n");
        Files.writeString(project.migrations().resolve("sub/V2__orders.sql"), "create table orders (id int primary key);\n");
        return project;
    }

    @Test
    void refusesWithoutATerminalAndRecordsNothing() throws Exception {
        ProjectDir project = existingProject("bl_noterm");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, Terminal.NONE);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("safemigrate baseline: refusing: stdin is not a terminal"), r.err());
        assertFalse(TestDatabase.tableExists(project.database, "flyway_schema_history"));
        assertTrue(PersonAudit.lines(root).isEmpty(), "nothing changed, nothing recorded");
    }

    @Test
    void recordsTheHighestVersionAfterYesAndStatusThenShowsCoveredAppliedAndTheRestPending() throws Exception {
        ProjectDir project = existingProject("bl_yes");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result before = call(s.client, "status");
            assertTrue(before.text().contains("no Flyway history"), before.text());
        }
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, person);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Database     " + project.database), r.out());
        List<AuditEntry> audit = PersonAudit.lines(root);
        assertEquals(1, audit.size(), audit.toString());
        assertEquals("baseline", audit.get(0).tool());
        assertEquals(AuditEntry.ALLOWED, audit.get(0).decision());
        assertEquals(project.database, audit.get(0).database().get("name"));
        assertTrue(r.out().contains("baseline at version 2"), r.out());
        assertTrue(r.out().contains("  covered  1  db/migrations/V1__customers.sql"), r.out());
        assertTrue(r.out().contains("  covered  2  db/migrations/sub/V2__orders.sql"), r.out());
        assertTrue(r.out().contains("No migration stays pending."), r.out());
        assertEquals(1, person.prompts.size());
        assertEquals(1, TestDatabase.queryLong(project.database,
                "select count(*) from flyway_schema_history where type = 'BASELINE' and version = '2'"));

        Files.writeString(project.migrations().resolve("V3__invoices.sql"), "create table invoices (id int primary key);\n");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertFalse(status.isError(), status.toString());
            assertEquals(true, status.get("validation.valid"), status.toString());
            Map<String, String> states = states(status);
            assertEquals("applied", states.get("1"), status.toString());
            assertEquals("applied", states.get("2"), status.toString());
            assertEquals("pending", states.get("3"), status.toString());
            assertEquals(2, ((Number) status.get("summary.applied")).intValue(), "two files, not the marker row: " + status);
            Result replace = call(s.client, "create_migration", "name", "orders2", "sql", "create table o2 (id int);",
                    "replaces", "2");
            assertEquals("MIGRATION_APPLIED", replace.errorCode(), "a file the baseline covers is immutable: " + replace);
            assertTrue(Files.exists(project.migrations().resolve("sub/V2__orders.sql")));
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertTrue(TestDatabase.tableExists(project.database, "invoices"));
            assertEquals("applied", states(call(s.client, "status")).get("3"));
        }
    }

    @Test
    void anExplicitVersionLeavesTheLaterFilesPending() throws Exception {
        ProjectDir project = existingProject("bl_version");
        TestDatabase.execute(project.database, "drop table orders");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, new ScriptedTerminal("yes"), "--version", "1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("  pending  2  db/migrations/sub/V2__orders.sql"), r.out());
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Map<String, String> states = states(call(s.client, "status"));
            assertEquals("applied", states.get("1"));
            assertEquals("pending", states.get("2"));
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertTrue(TestDatabase.tableExists(project.database, "orders"));
        }
    }

    @Test
    void withNoMigrationFilesTheBaselineIsZeroAndEverythingLaterIsPending() throws Exception {
        String db = TestDatabase.create("bl_empty");
        TestDatabase.execute(db, "create table legacy (id int)");
        ProjectDir project = ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, new ScriptedTerminal("y"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("baseline at version 0"), r.out());
        assertTrue(r.out().contains("It covers no migration file"), r.out());
        Files.createDirectories(project.migrations());
        Files.writeString(project.migrations().resolve("V1__more.sql"), "create table more (id int);\n");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertEquals("pending", states(status).get("1"));
            assertEquals(0, ((Number) status.get("summary.applied")).intValue(), "the marker row is no migration: " + status);
            assertFalse(call(s.client, "apply_to_dev").isError());
        }
    }

    @Test
    void anythingButYesRecordsNothing() throws Exception {
        ProjectDir project = existingProject("bl_no");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, new ScriptedTerminal("n"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("Nothing changed."), r.out());
        assertFalse(TestDatabase.tableExists(project.database, "flyway_schema_history"));
    }

    @Test
    void refusesWhenAHistoryAlreadyExists() throws Exception {
        ProjectDir project = existingProject("bl_twice");
        assertEquals(0, CommandRun.of(new BaselineCommand(), root, new ScriptedTerminal("y")).exit());
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun again = CommandRun.of(new BaselineCommand(), root, person, "--version", "1");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("already has a Flyway history"), again.err());
        assertTrue(person.prompts.isEmpty());
        assertEquals(1, TestDatabase.queryLong(project.database, "select count(*) from flyway_schema_history"));
    }

    @Test
    void refusesADatabaseThatIsNotProvenDevWithoutAsking() throws Exception {
        ProjectDir project = existingProject("bl_prod");
        TestDatabase.executeAsSuperuser(project.database, "alter database " + project.database
                + " set safemigrate.environment = 'production'");
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, person);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: this is not proven to be the development database"), r.err());
        assertTrue(person.prompts.isEmpty());
        assertFalse(TestDatabase.tableExists(project.database, "flyway_schema_history"));
    }

    @Test
    void refusesAVersionThatIsNotOne() throws Exception {
        ProjectDir project = existingProject("bl_badversion");
        CommandRun r = CommandRun.of(new BaselineCommand(), root, new ScriptedTerminal("y"), "--version", "latest");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("--version latest is not a version"), r.err());
        assertFalse(TestDatabase.tableExists(project.database, "flyway_schema_history"));
    }

    static Map<String, String> states(Result status) {
        Map<String, String> states = new java.util.HashMap<>();
        for (Map<String, Object> m : status.list("migrations")) {
            states.put((String) m.get("version"), (String) m.get("state"));
        }
        return states;
    }

    static List<String> versions(Result status) {
        return status.list("migrations").stream().map(m -> (String) m.get("version")).toList();
    }
}
