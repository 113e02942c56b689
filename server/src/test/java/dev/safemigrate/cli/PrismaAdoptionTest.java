package dev.safemigrate.cli;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.PrismaRows;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * A Prisma project adopted: init imports prisma/migrations byte for byte, and baseline --from-prisma
 * covers exactly what _prisma_migrations says finished, checking each checksum. The database and
 * _prisma_migrations are real, with Prisma's own columns.
 */
class PrismaAdoptionTest {

    static final String INIT = "20240101000000_init";
    static final String ORDERS = "20240102000000_Add-Orders";
    static final String LATER = "20240103000000_later work";
    static final Map<String, String> SQL = Map.of(
            INIT, "-- CreateTable\r\nCREATE TABLE \"customers\" (\"id\" SERIAL NOT NULL, PRIMARY KEY (\"id\"));\r\n",
            ORDERS, "-- CreateTable\nCREATE TABLE \"orders\" (\"id\" SERIAL NOT NULL, PRIMARY KEY (\"id\"));\n",
            LATER, "CREATE TABLE \"invoices\" (\"id\" SERIAL NOT NULL);\n");

    @TempDir
    Path root;
    @TempDir
    Path install;
    Path jar;
    ProjectDir project;

    @BeforeEach
    void aPrismaProjectWhosePrismaAppliedTwoMigrations() throws Exception {
        jar = Files.writeString(install.resolve("safemigrate.jar"), "not really a jar");
        for (Map.Entry<String, String> m : SQL.entrySet()) {
            Path dir = Files.createDirectories(root.resolve("prisma/migrations").resolve(m.getKey()));
            Files.writeString(dir.resolve("migration.sql"), m.getValue());
        }
        Files.writeString(root.resolve("prisma/migrations/migration_lock.toml"), "provider = \"postgresql\"\n");
        String db = TestDatabase.create("prisma");
        TestDatabase.execute(db, PrismaRows.TABLE);
        TestDatabase.execute(db, SQL.get(INIT) + SQL.get(ORDERS));
        project = ProjectDir.create(root, db, "");
        prismaRan(INIT, "finished");
        prismaRan(ORDERS, "finished");
    }

    /** A row as Prisma writes it: {@code outcome} is finished, failed or rolled_back. */
    void prismaRan(String name, String outcome) throws Exception {
        prismaRan(name, sha256(SQL.getOrDefault(name, "")), outcome);
    }

    void prismaRan(String name, String checksum, String outcome) {
        TestDatabase.execute(project.database, "insert into _prisma_migrations (id, checksum, finished_at, migration_name, "
                + "logs, rolled_back_at, started_at, applied_steps_count) values ('" + UUID.randomUUID() + "', '" + checksum
                + "', " + (outcome.equals("finished") ? "clock_timestamp()" : "null") + ", '" + name + "', "
                + (outcome.equals("finished") ? "null" : "'ERROR: relation exists'") + ", "
                + (outcome.equals("rolled_back") ? "clock_timestamp()" : "null") + ", clock_timestamp(), "
                + (outcome.equals("finished") ? 1 : 0) + ")");
    }

    CommandRun init(Terminal terminal, String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "--jar";
        args[1] = jar.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CommandRun.of(new InitCommand(), root, terminal, args);
    }

    CommandRun baseline(ScriptedTerminal person) throws Exception {
        return CommandRun.of(new BaselineCommand(), root, person, "--from-prisma");
    }

    Path imported(String name) {
        return project.migrations().resolve(name);
    }

    @Test
    void importsInOrderByteForByteThenBaselinesWhatPrismaFinished() throws Exception {
        CommandRun i = init(Terminal.NONE, "--import-prisma");
        assertEquals(0, i.exit(), i.toString());
        assertEquals(List.of(imported("V20240101000000__init.sql"), imported("V20240102000000__add_orders.sql"),
                imported("V20240103000000__later_work.sql")), project.migrationFiles());
        for (String name : List.of(INIT, ORDERS, LATER)) {
            Path file = project.migrationFiles().get(List.of(INIT, ORDERS, LATER).indexOf(name));
            assertArrayEquals(SQL.get(name).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file), name);
        }
        assertTrue(i.out().contains("safemigrate baseline --from-prisma"), i.out());

        CommandRun again = init(Terminal.NONE, "--import-prisma");
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("3 Prisma migration(s) were already imported."), again.out());

        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun b = baseline(person);
        assertEquals(0, b.exit(), b.toString());
        assertTrue(b.out().contains("baseline at version 20240102000000"), b.out());
        assertTrue(b.out().contains("  covered  20240101000000  db/migrations/V20240101000000__init.sql"), b.out());
        assertTrue(b.out().contains("  covered  20240102000000  db/migrations/V20240102000000__add_orders.sql"), b.out());
        assertTrue(b.out().contains("  pending  20240103000000  db/migrations/V20240103000000__later_work.sql"), b.out());
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            Map<String, String> states = BaselineCommandTest.states(status);
            assertEquals("applied", states.get("20240101000000"), status.toString());
            assertEquals("applied", states.get("20240102000000"), status.toString());
            assertEquals("pending", states.get("20240103000000"), status.toString());
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertTrue(TestDatabase.tableExists(project.database, "invoices"));
        }
    }

    @Test
    void atATerminalInitAsksAndImportsOnlyOnYes() throws Exception {
        ScriptedTerminal no = new ScriptedTerminal("n");
        assertEquals(0, init(no).exit());
        assertTrue(no.prompts.get(0).contains("Import 3 Prisma migration(s)"), no.prompts.toString());
        assertEquals(List.of(), project.migrationFiles());
        ScriptedTerminal yes = new ScriptedTerminal("y");
        CommandRun r = init(yes);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(3, project.migrationFiles().size());
    }

    @Test
    void withoutATerminalOrTheFlagInitOnlySaysHowToImport() throws Exception {
        CommandRun r = init(Terminal.NONE);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("safemigrate init --import-prisma"), r.out());
        assertEquals(List.of(), project.migrationFiles());
    }

    @Test
    void aNewConfigurationPointsAtTheImportedFolder() throws Exception {
        Files.delete(project.configFile());
        CommandRun r = init(Terminal.NONE, "--import-prisma");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(root.resolve("db/migrations"), new ConfigLoader(n -> null).load(null, root).migrations().dir());
        assertTrue(Files.readString(project.configFile()).contains("safemigrate baseline --from-prisma"));
        assertEquals(3, project.migrationFiles().size());
    }

    @Test
    void neverOverwritesAnExistingFileAndWritesNothingThen() throws Exception {
        Files.createDirectories(project.migrations());
        Files.writeString(imported("V20240102000000__add_orders.sql"), "create table mine (id int);\n");
        CommandRun r = init(Terminal.NONE, "--import-prisma");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("already exists with other content"), r.err());
        assertEquals("create table mine (id int);\n", Files.readString(imported("V20240102000000__add_orders.sql")));
        assertEquals(1, project.migrationFiles().size());
        assertFalse(Files.exists(root.resolve(".mcp.json")), "nothing else is written either");
    }

    @Test
    void refusesAFileWhoseBytesAreNotWhatPrismaRan() throws Exception {
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        Files.writeString(imported("V20240102000000__add_orders.sql"), SQL.get(ORDERS).replace("\n", "\r\n"));
        assertRefused("is not the migration Prisma applied as " + ORDERS);
    }

    @Test
    void refusesAFailedPrismaMigration() throws Exception {
        prismaRan(LATER, "failed");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        assertRefused("Prisma migration " + LATER + " failed or never finished");
    }

    @Test
    void refusesARolledBackPrismaMigration() throws Exception {
        prismaRan(LATER, "rolled_back");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        assertRefused("Prisma migration " + LATER + " was rolled back");
    }

    @Test
    void aRolledBackAttemptAppliedAgainCountsAsFinished() throws Exception {
        prismaRan(LATER, "rolled_back");
        TestDatabase.execute(project.database, SQL.get(LATER));
        prismaRan(LATER, "finished");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        CommandRun b = baseline(new ScriptedTerminal("y"));
        assertEquals(0, b.exit(), b.toString());
        assertTrue(b.out().contains("baseline at version 20240103000000"), b.out());
    }

    @Test
    void refusesAFinishedMigrationWithNoImportedFile() throws Exception {
        prismaRan("20231231000000_before_everything", "0".repeat(64), "finished");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        assertRefused("Prisma applied 20231231000000_before_everything to this database, but no migration file has its version");
    }

    @Test
    void refusesWhenTheFinishedOnesAreNotTheFirstFilesInOrder() throws Exception {
        TestDatabase.execute(project.database, "delete from _prisma_migrations where migration_name = '" + ORDERS + "'");
        prismaRan(LATER, "finished");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        assertRefused("V20240102000000__add_orders.sql comes before V20240103000000__later_work.sql but Prisma has not applied it");
    }

    @Test
    void refusesADatabasePrismaNeverMigrated() throws Exception {
        TestDatabase.execute(project.database, "drop table _prisma_migrations");
        assertEquals(0, init(Terminal.NONE, "--import-prisma").exit());
        assertRefused("this database has no _prisma_migrations table");
    }

    private void assertRefused(String why) throws Exception {
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun b = baseline(person);
        assertEquals(1, b.exit(), b.toString());
        assertTrue(b.err().contains(why), b.err());
        assertTrue(person.prompts.isEmpty(), "nothing is asked when nothing may be recorded");
        assertFalse(TestDatabase.tableExists(project.database, "flyway_schema_history"));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
