package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** {@code mark-dev --create-role}: a person sets up the least-privileged role safemigrate connects as. */
class CreateRoleCommandTest {

    private static final Pattern PASSWORD = Pattern.compile("SAFEMIGRATE_DEV_PASSWORD=(\\S+)");

    @TempDir
    Path root;

    /** Like a setup from before: the database and its tables belong to the superuser, who is configured. */
    private String legacyDatabase(String prefix) throws Exception {
        String db = TestDatabase.create(prefix);
        TestDatabase.executeAsSuperuser("postgres", "alter database " + db + " owner to postgres");
        TestDatabase.executeAsSuperuser(db, """
                create schema billing;
                create table billing.invoices (id bigint generated always as identity primary key, total int);
                create table public.flyway_schema_history (installed_rank int primary key);
                create type public.mood as enum ('ok');
                create function public.f() returns int language sql as 'select 1';
                insert into billing.invoices (total) values (1), (2)""");
        ProjectDir.create(root, db, "");
        Path toml = root.resolve("safemigrate.toml");
        Files.writeString(toml, Files.readString(toml).replace("user = \"" + TestDatabase.APP_ROLE + "\"",
                "user = \"" + TestDatabase.SUPERUSER + "\""));
        return db;
    }

    @Test
    void createsALeastPrivilegedOwnerMarksDevAndPrintsTheConfiguration() throws Exception {
        String db = legacyDatabase("role_create");
        String role = "app_" + ProcessHandle.current().pid() + "_a";
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("y"), "--create-role", role);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("user = \"" + role + "\""), r.out());
        assertTrue(r.out().contains("password = \"${env:SAFEMIGRATE_DEV_PASSWORD}\""), r.out());
        Matcher m = PASSWORD.matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(m.group(1).length() >= 32, "a generated password, not a guessable one");
        List<AuditEntry> audit = PersonAudit.lines(root);
        assertEquals(1, audit.size(), audit.toString());
        assertEquals(role, audit.get(0).summary().get("role_created"));
        assertFalse(PersonAudit.logText(root).contains(m.group(1)), "the generated password is never in the log");

        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from pg_roles where rolname = '" + role
                + "' and (rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls)"));
        assertEquals(1, TestDatabase.queryLong(db, "select count(*) from pg_database where datname = '" + db
                + "' and pg_get_userbyid(datdba) = '" + role + "'"));
        assertEquals(0, TestDatabase.queryLong(db, """
                select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname in ('public', 'billing') and pg_get_userbyid(c.relowner) <> '%s'""".formatted(role)));
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from pg_namespace where nspname = 'billing' "
                + "and pg_get_userbyid(nspowner) <> '" + role + "'"));
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from pg_type where typname = 'mood' "
                + "and pg_get_userbyid(typowner) <> '" + role + "'"));
        assertEquals(0, TestDatabase.queryLong(db, "select count(*) from pg_proc where proname = 'f' "
                + "and pg_get_userbyid(proowner) <> '" + role + "'"));
        assertEquals("dev", MarkDevCommandTest.marker(db));

        // the new role can migrate what it was given
        try (Connection c = DriverManager.getConnection(TestDatabase.url(db), role, m.group(1));
             Statement s = c.createStatement()) {
            s.execute("alter table billing.invoices add column note text; drop table public.flyway_schema_history");
        }
    }

    @Test
    void anAdministratorNamedOnTheCommandLineIsAskedForItsPassword() throws Exception {
        String db = TestDatabase.create("role_admin");
        ProjectDir.create(root, db, "");
        String role = "app_" + ProcessHandle.current().pid() + "_b";
        ScriptedTerminal person = new ScriptedTerminal("", "y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person, "--create-role", role,
                "--admin-user", TestDatabase.SUPERUSER);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(person.prompts.get(0).startsWith("Password for postgres"), person.prompts.get(0));
        assertEquals("dev", MarkDevCommandTest.marker(db));
    }

    @Test
    void refusesWithoutATerminalAndCreatesNothing() throws Exception {
        legacyDatabase("role_noterm");
        String role = "app_" + ProcessHandle.current().pid() + "_c";
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, Terminal.NONE, "--create-role", role);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing: stdin is not a terminal"), r.err());
        assertEquals(0, TestDatabase.queryLong("postgres", "select count(*) from pg_roles where rolname = '" + role + "'"));
    }

    @Test
    void anythingButYesCreatesNothing() throws Exception {
        legacyDatabase("role_no");
        String role = "app_" + ProcessHandle.current().pid() + "_d";
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("n"), "--create-role", role);
        assertEquals(1, r.exit(), r.toString());
        assertFalse(r.out().contains("SAFEMIGRATE_DEV_PASSWORD="), r.out());
        assertEquals(0, TestDatabase.queryLong("postgres", "select count(*) from pg_roles where rolname = '" + role + "'"));
    }

    @Test
    void refusesARoleNameThatIsNotPlain() throws Exception {
        legacyDatabase("role_badname");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, new ScriptedTerminal("y"), "--create-role",
                "x\" superuser --");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("is not a plain role name"), r.err());
    }

    @Test
    void refusesADatabaseMarkedProduction() throws Exception {
        String db = legacyDatabase("role_prod");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        String role = "app_" + ProcessHandle.current().pid() + "_e";
        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person, "--create-role", role);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(person.prompts.isEmpty(), "no question is asked of a refused database");
        assertEquals(0, TestDatabase.queryLong("postgres", "select count(*) from pg_roles where rolname = '" + role + "'"));
    }
}
