package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.tools.BackupTool;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ToolResult;

/** Backups taken by the backup tool, restored with the machine's pg_restore into the test PostgreSQL. */
class RestoreCommandTest {

    @TempDir
    Path root;

    @Test
    void restoresABackupAndEveryTableMatchesItsManifest() throws Exception {
        String db = TestDatabase.create("restore_roundtrip");
        Path dump = backupOf(db);
        TestDatabase.execute(db, "delete from items where id > 60; drop table orders; insert into notes values (9, 'new');"
                + " create table later (id int)");

        ScriptedTerminal person = new ScriptedTerminal(db);
        CommandRun r = CommandRun.of(new RestoreCommand(), root, person, dump.getFileName().toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Database     " + db), "identity first: " + r.out());
        assertTrue(r.out().contains("public.items: 100 rows"), "the manifest is shown: " + r.out());
        assertTrue(person.prompts.get(0).contains("Type the database name"), person.prompts.toString());
        assertTrue(r.out().contains("Not in the backup, left as it is: public.later"), r.out());
        assertTrue(r.out().contains("Restored. All 3 tables hold the rows the manifest lists."), r.out());

        assertEquals(100, TestDatabase.queryLong(db, "select count(*) from items"));
        assertEquals(3, TestDatabase.queryLong(db, "select count(*) from orders"));
        assertEquals(2, TestDatabase.queryLong(db, "select count(*) from notes"));
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from notes where body = 'new'"));

        List<AuditEntry> audit = PersonAudit.lines(root);
        assertEquals(1, audit.size(), "the restore is in the agents' audit log: " + audit);
        assertEquals("restore", audit.get(0).tool());
        assertEquals(AuditEntry.ALLOWED, audit.get(0).decision());
        assertEquals(dump.getFileName().toString(), audit.get(0).summary().get("backup"));
        assertEquals(3, audit.get(0).summary().get("tables_checked"));
        assertEquals(db, audit.get(0).database().get("name"));
    }

    @Test
    void aTableThatDoesNotMatchTheManifestIsNamedAndFails() throws Exception {
        String db = TestDatabase.create("restore_mismatch");
        Path dump = backupOf(db);
        Path manifest = dump.resolveSibling(dump.getFileName() + ".json");
        // as if rows were lost between the counts and the dump: the check must notice
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
        for (JsonNode t : m.get("tables")) {
            if (t.get("name").asString().equals("items")) {
                ((ObjectNode) t).put("rows", 101);
            }
        }
        Files.writeString(manifest, json.writeValueAsString(m));

        CommandRun r = CommandRun.of(new RestoreCommand(), root, new ScriptedTerminal(db), dump.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("1 of 3 tables do not match the manifest"), r.err());
        assertTrue(r.err().contains("public.items: backup had 101 rows, database has 100 rows"), r.err());
        List<AuditEntry> audit = PersonAudit.lines(root);
        assertEquals(1, audit.size(), audit.toString());
        assertEquals(AuditEntry.ERROR, audit.get(0).decision());
        assertEquals("RESTORE_MISMATCH", audit.get(0).code());
    }

    @Test
    void aWrongNameTypedChangesNothing() throws Exception {
        String db = TestDatabase.create("restore_wrongname");
        Path dump = backupOf(db);
        TestDatabase.execute(db, "delete from notes");
        CommandRun r = CommandRun.of(new RestoreCommand(), root, new ScriptedTerminal("yes"), dump.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("Nothing changed."), r.out());
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from notes"));
        assertTrue(PersonAudit.lines(root).isEmpty(), "nothing changed, nothing recorded");
    }

    @Test
    void refusesWithoutATerminal() throws Exception {
        String db = TestDatabase.create("restore_noterm");
        Path dump = backupOf(db);
        TestDatabase.execute(db, "delete from notes");
        CommandRun r = CommandRun.of(new RestoreCommand(), root, Terminal.NONE, dump.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: stdin is not a terminal"), r.err());
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from notes"));
    }

    @Test
    void refusesADatabaseThatIsNotDevWithoutAsking() throws Exception {
        String db = TestDatabase.create("restore_notdev");
        Path dump = backupOf(db);
        TestDatabase.execute(db, "delete from notes");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'staging'");
        ScriptedTerminal person = new ScriptedTerminal(db);
        CommandRun r = CommandRun.of(new RestoreCommand(), root, person, dump.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: this is not proven to be the development database"), r.err());
        assertTrue(person.prompts.isEmpty());
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from notes"));
    }

    @Test
    void refusesADumpThatNoLongerMatchesItsManifest() throws Exception {
        String db = TestDatabase.create("restore_changed");
        Path dump = backupOf(db);
        Files.write(dump, new byte[]{0}, StandardOpenOption.APPEND);
        ScriptedTerminal person = new ScriptedTerminal(db);
        CommandRun r = CommandRun.of(new RestoreCommand(), root, person, dump.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("is not the file its manifest describes"), r.err());
        assertTrue(person.prompts.isEmpty());
    }

    @Test
    void aMissingBackupIsNamed() throws Exception {
        ProjectDir.create(root, TestDatabase.create("restore_missing"), "");
        CommandRun r = CommandRun.of(new RestoreCommand(), root, new ScriptedTerminal(), "nope.dump");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("no backup nope.dump"), r.err());
    }

    /** items (100 rows), orders (3), notes (2), backed up by the backup tool; returns the dump. */
    private Path backupOf(String db) throws Exception {
        TestDatabase.execute(db, """
                create table items (id int primary key, name text);
                insert into items select g, 'item ' || g from generate_series(1, 100) g;
                create table orders (id int primary key, item int references items);
                insert into orders values (1, 1), (2, 2), (3, 3);
                create table notes (id int, body text);
                insert into notes values (1, 'a'), (2, 'b');
                """);
        ProjectDir project = ProjectDir.create(root, db, "");
        try (Project p = Project.open(project.config())) {
            ToolResult taken = new BackupTool(p).call(new BackupTool.Input("before"));
            assertFalse(taken.isError(), taken.text());
            return root.resolve(((BackupTool.Output) taken.structured()).backup().path());
        }
    }
}
