package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

class MarkDevCommandTest {

    @TempDir
    Path root;

    @Test
    void refusesWithoutATerminalAndChangesNothing() throws Exception {
        String db = TestDatabase.create("mark_noterm");
        ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, Terminal.NONE);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: stdin is not a terminal"), r.err());
        assertNull(marker(db));
    }

    @Test
    void marksAnUnmarkedDevDatabaseAfterYes() throws Exception {
        String db = TestDatabase.create("mark_yes");
        ProjectDir.create(root, db, "");
        // the administrator's password is asked first (empty: the test server trusts local logins)
        ScriptedTerminal person = new ScriptedTerminal("", "y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person, "--admin-user", TestDatabase.SUPERUSER);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Database     " + db), r.out());
        assertTrue(person.prompts.get(0).startsWith("Password for postgres"), person.prompts.get(0));
        assertTrue(person.prompts.get(1).contains("ALTER DATABASE \"" + db + "\" SET safemigrate.environment = 'dev'"),
                person.prompts.get(1));
        assertTrue(r.out().contains("Marked " + db), r.out());
        assertEquals("dev", marker(db));
        List<AuditEntry> audit = PersonAudit.lines(root);
        assertEquals(1, audit.size(), audit.toString());
        assertEquals("mark-dev", audit.get(0).tool());
        assertEquals("dev", audit.get(0).summary().get("marked"));
        assertEquals(TestDatabase.SUPERUSER, audit.get(0).summary().get("as"));
    }

    @Test
    void quotesANameThatNeedsQuoting() throws Exception {
        String db = "Dev-Mixed_" + ProcessHandle.current().pid();
        TestDatabase.executeAsSuperuser("postgres", "drop database if exists \"" + db + "\"");
        TestDatabase.executeAsSuperuser("postgres", "create database \"" + db + "\" owner " + TestDatabase.APP_ROLE);
        ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("", "yes"),
                "--admin-user", TestDatabase.SUPERUSER);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("dev", marker(db));
    }

    /** PostgreSQL 15 lets no owner set a safemigrate.* parameter: the least-privileged role cannot move the marker. */
    @Test
    void theLeastPrivilegedRoleCannotSetTheMarkerItselfAndIsToldWhoCan() throws Exception {
        String db = TestDatabase.create("mark_norights");
        ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("y"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("permission denied to set parameter"), r.err());
        assertTrue(r.err().contains("--admin-user"), r.err());
        assertNull(marker(db));
    }

    @Test
    void anythingButYesChangesNothing() throws Exception {
        String db = TestDatabase.create("mark_no");
        ProjectDir.create(root, db, "");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal(""));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("Nothing changed."), r.out());
        assertNull(marker(db));
        assertTrue(PersonAudit.lines(root).isEmpty(), "nothing changed, nothing recorded");
    }

    @Test
    void refusesADatabaseMarkedProductionWithoutAsking() throws Exception {
        String db = TestDatabase.create("mark_prodmarker");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        ProjectDir.create(root, db, "");
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: this is not proven to be the development database"), r.err());
        assertTrue(person.prompts.isEmpty(), "no question is asked of a refused database");
        assertEquals("production", marker(db));
    }

    @Test
    void refusesANameMatchingADenyPattern() throws Exception {
        String db = TestDatabase.create("shop_prod");
        ProjectDir.create(root, db, "");
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("matches policy.deny_patterns entry 'prod'"), r.err());
        assertTrue(person.prompts.isEmpty());
        assertNull(marker(db));
    }

    @Test
    void refusesAnotherDatabaseThanExpected() throws Exception {
        String db = TestDatabase.create("mark_unexpected");
        Path toml = ProjectDir.create(root, db, "").configFile();
        Files.writeString(toml, Files.readString(toml).replace("[dev]\n",
                "[dev]\nexpect_database = \"app_dev\"\n"));
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("y"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("dev.expect_database is 'app_dev'"), r.err());
        assertNull(marker(db));
    }

    @Test
    void aDatabaseAlreadyMarkedDevNeedsNothing() throws Exception {
        String db = TestDatabase.create("mark_already");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'dev'");
        ProjectDir.create(root, db, "");
        ScriptedTerminal person = new ScriptedTerminal();
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Already marked"), r.out());
        assertTrue(person.prompts.isEmpty());
    }

    /** Read from a new session: ALTER DATABASE … SET applies to sessions started after it. */
    static String marker(String db) throws Exception {
        try (Connection c = TestDatabase.connectAsSuperuser(db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('safemigrate.environment', true)")) {
            rs.next();
            String v = rs.getString(1);
            return v == null || v.isEmpty() ? null : v;
        }
    }
}
