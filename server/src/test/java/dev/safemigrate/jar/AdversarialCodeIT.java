package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * SQL that hides from the analysis, against the built jar over stdio and a real PostgreSQL: a
 * shell command assembled at run time inside a function, a DROP behind a carriage return, a role
 * switch behind a function named begin, a where clause that is always true. The harmful effect is
 * checked not to happen, whatever reading of the SQL the attacker counted on.
 */
@Timeout(300)
class AdversarialCodeIT {

    @TempDir
    Path root;

    /** COPY … TO PROGRAM assembled from pieces, so no lexical rule can see it, then called. */
    private static String shellThroughAFunction(Path marker) {
        return "create function sneaky() returns void language plpgsql as $$ begin execute 'CO' || 'PY (select 1) TO PRO'"
                + " || 'GRAM ''touch " + marker + "'''; end $$;\nselect sneaky();\n";
    }

    private McpSyncClient server(ProjectDir p) {
        return JarServer.start(root, new ArrayList<>(), "serve", "--config", p.configFile().toString());
    }

    @Test
    void asAPrivilegedRoleTheDryRunNeverExecutesCodeBeforeApproval() throws Exception {
        String db = TestDatabase.create("adv_code_super");
        ProjectDir p = ProjectDir.create(root, db, "\n[policy]\nallow_privileged_role = true\n");
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + TestDatabase.SUPERUSER + "\""));
        p.approve();
        Path marker = root.resolve("shell-ran");
        McpSyncClient client = server(p);
        try {
            Result created = call(client, "create_migration", "name", "sneaky", "sql", shellThroughAFunction(marker));
            assertFalse(created.isError(), created.toString());
            Result dry = call(client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertFalse(Files.exists(marker), "the dry run ran a shell command as superuser");
            List<Map<String, Object>> held = dry.list("findings").stream()
                    .filter(f -> f.get("rule").equals("dry-run-not-executed")).toList();
            assertEquals(1, held.size(), dry.get("findings").toString());
            assertEquals("confirm", held.get(0).get("severity"));
            Result apply = call(client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertFalse(Files.exists(marker));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void asALeastPrivilegedRoleTheDatabaseItselfRefusesTheShell() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("adv_code_app"), "");
        Path marker = root.resolve("shell-ran");
        McpSyncClient client = server(p);
        try {
            assertFalse(call(client, "create_migration", "name", "sneaky", "sql", shellThroughAFunction(marker)).isError());
            Result dry = call(client, "apply_to_dev", "dry_run", true);
            assertEquals(false, dry.get("dry_run_result.success"), dry.toString());
            assertEquals("42501", dry.get("dry_run_result.failure.sqlstate"), "insufficient privilege: " + dry);
            assertFalse(Files.exists(marker));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void sqlHiddenFromTheSplitterIsSeenAndGated() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("adv_split"), "");
        McpSyncClient client = server(p);
        try {
            assertFalse(call(client, "create_migration", "name", "users", "sql",
                    "create table users (id bigint primary key);\ninsert into users values (1), (2);").isError());
            assertFalse(call(client, "apply_to_dev").isError());

            Result cr = call(client, "create_migration", "name", "cr", "sql",
                    "create table t1 (id bigint);\n-- note\rDROP TABLE users;");
            assertFalse(cr.isError(), cr.toString());
            assertTrue(cr.list("findings").stream().anyMatch(f -> f.get("rule").equals("drop-table")),
                    "the DROP after a carriage return is its own statement: " + cr);
            assertEquals("CONFIRMATION_REQUIRED", call(client, "apply_to_dev").errorCode());
            assertTrue(TestDatabase.tableExists(p.database, "users"));
            String crVersion = (String) cr.get("version");

            Result begin = call(client, "create_migration", "name", "begin_fn", "replaces", crVersion, "sql",
                    "create function begin() returns int language sql as $$ select 1 $$;\ncreate role sneaky superuser;");
            assertEquals("SQL_REJECTED", begin.errorCode(), "the role after a function named begin is seen: " + begin);

            Result unicode = call(client, "create_migration", "name", "uni", "replaces", crVersion, "sql",
                    "select * from U&\"\\0064blink\"('host=elsewhere', 'drop table users') as t(x int);");
            assertEquals("SQL_REJECTED", unicode.errorCode(), "U& names are decoded before rules run: " + unicode);

            Result always = call(client, "create_migration", "name", "always", "replaces", crVersion, "sql",
                    "delete from users where 1=1;");
            assertFalse(always.isError(), always.toString());
            assertTrue(always.list("findings").stream().anyMatch(f -> f.get("severity").equals("confirm")),
                    "a where that is always true is no where: " + always);
            assertEquals("CONFIRMATION_REQUIRED", call(client, "apply_to_dev").errorCode());
            assertEquals(2, TestDatabase.queryLong(p.database, "select count(*) from users"));
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * A plain INSERT, harmless to any reading of its text, fires a trigger an earlier migration
     * installed, which deletes every row of another table: the trace sees the rows go, and the
     * apply asks a person instead of applying.
     */
    @Test
    void rowsATriggerDeletesBehindAPlainInsertAreAskedAbout() throws Exception {
        aTriggerBehindAPlainInsertIsAskedAbout("adv_trigger", "delete from users",
                "3 row(s) deleted from table public.users");
    }

    /**
     * TRUNCATE moves no row counter: the rows a trigger truncates behind a plain INSERT show only as a
     * table whose storage was replaced, which has no rows left when the statement is done (the
     * ee97601 jar applied this without asking).
     */
    @Test
    void rowsATriggerTruncatesBehindAPlainInsertAreAskedAbout() throws Exception {
        aTriggerBehindAPlainInsertIsAskedAbout("adv_trigger_truncate", "truncate users",
                "3 row(s) lost: truncates table public.users");
    }

    /**
     * A column of a table with data dropped inside the same code block that creates a table, after
     * the migration pinned its own planning and search path: the trace finds the statement's catalog
     * rows by looking up the relations whose pg_class rows it wrote (the new table's), and must not
     * take those for all of them. The apply names the values lost, which only the trace can count,
     * and the column is still there.
     */
    @Test
    void aColumnDroppedBesideATableCreatedInOneBlockIsCountedAndAskedAbout() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("adv_hidden_drop"), "");
        McpSyncClient client = server(p);
        try {
            applied(client, "users", """
                    create table users (id bigint primary key, email text);
                    insert into users values (1, 'a@x'), (2, 'b@x'), (3, 'c@x');""");

            Result apply = askedAbout(client, "audit", """
                    set plan_cache_mode = force_custom_plan;
                    set search_path = pg_catalog, public;
                    do $$ begin
                      create table public.audit_trail (id bigint primary key, note text default 'x');
                      alter table public.users drop column email;
                    end $$;""");
            assertTrue(apply.text().contains("3 non-null value(s) lost: drops column public.users.email"), apply.text());
            assertEquals(3, TestDatabase.queryLong(p.database, "select count(email) from users"), "no value lost");
            assertEquals(0, TestDatabase.queryLong(p.database,
                    "select count(*) from pg_class where relname = 'audit_trail'"), "nothing applied");
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * A table with rows dropped by code whose text names no table (the name is put together when the
     * block runs), and nothing else written: the statement only deletes catalog rows, which the scan
     * by xmin cannot see, so the trace must find the table gone by the keys it reads after deletions.
     * The apply names the rows lost and drops nothing.
     */
    @Test
    void aTableDroppedByCodeWhoseTextNamesNoTableIsCountedAndAskedAbout() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("adv_code_drop"), "");
        McpSyncClient client = server(p);
        try {
            applied(client, "users", """
                    create table users (id bigint primary key, email text);
                    insert into users values (1, 'a@x'), (2, 'b@x'), (3, 'c@x');""");

            Result apply = askedAbout(client, "tidy", """
                    do $$ begin execute 'dr' || 'op ta' || 'ble ' || 'us' || 'ers'; end $$;""");
            assertTrue(apply.text().contains("3 row(s) lost: drops table public.users"), apply.text());
            assertEquals(3, TestDatabase.queryLong(p.database, "select count(*) from users"), "no row lost");
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * A table renamed, then dropped by code whose text names no table, and a column renamed, then
     * dropped the same way: after the rename the trace reads again what prints the new names (not
     * the whole schema), and after the drops the keys of relations and columns; the rows and values
     * lost must be named under the new names, and nothing is dropped.
     */
    @Test
    void whatIsRenamedAndThenDroppedByCodeIsCountedUnderItsNewName() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("adv_code_rename_drop"), "");
        McpSyncClient client = server(p);
        try {
            applied(client, "users", """
                    create table users (id bigint primary key, email text);
                    create table notes (id bigint primary key, body text);
                    insert into users values (1, 'a@x'), (2, 'b@x'), (3, 'c@x');
                    insert into notes values (1, 'x'), (2, 'y');""");

            Result apply = askedAbout(client, "tidy", """
                    alter table users rename to people;
                    do $$ begin execute 'dr' || 'op ta' || 'ble ' || 'peo' || 'ple'; end $$;
                    alter table notes rename column body to text_body;
                    do $$ begin execute 'alter table notes dr' || 'op column text_' || 'body'; end $$;""");
            assertTrue(apply.text().contains("3 row(s) lost: drops table public.people"), apply.text());
            assertTrue(apply.text().contains("2 non-null value(s) lost: drops column public.notes.text_body"), apply.text());
            assertEquals(3, TestDatabase.queryLong(p.database, "select count(*) from users"), "no row lost");
            assertEquals(2, TestDatabase.queryLong(p.database, "select count(body) from notes"), "no value lost");
        } finally {
            client.closeGracefully();
        }
    }

    /** A migration of this SQL, created and applied: neither call may fail. */
    private static void applied(McpSyncClient client, String name, String sql) {
        Result created = call(client, "create_migration", "name", name, "sql", sql);
        assertFalse(created.isError(), created.toString());
        Result applied = call(client, "apply_to_dev");
        assertFalse(applied.isError(), applied.toString());
    }

    /** A migration of this SQL, created, whose apply must ask for a confirmation: @return the refusal */
    private static Result askedAbout(McpSyncClient client, String name, String sql) {
        Result created = call(client, "create_migration", "name", name, "sql", sql);
        assertFalse(created.isError(), created.toString());
        Result apply = call(client, "apply_to_dev");
        assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
        return apply;
    }

    /** Three users, a trigger on log that runs {@code wipe} installed and applied, then one plain INSERT into log. */
    private void aTriggerBehindAPlainInsertIsAskedAbout(String database, String wipe, String atRisk) throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create(database), "");
        McpSyncClient client = server(p);
        try {
            assertFalse(call(client, "create_migration", "name", "users", "sql",
                    "create table users (id bigint primary key);\ninsert into users values (1), (2), (3);").isError());
            assertFalse(call(client, "create_migration", "name", "log", "sql", """
                    create table log (id bigint);
                    create function wipe() returns trigger language plpgsql as $$ begin %s; return new; end $$;
                    create trigger wipe_users after insert on log for each row execute function wipe();""".formatted(wipe))
                    .isError());
            Result setup = call(client, "apply_to_dev");
            assertFalse(setup.isError(), "installing the trigger changes no row: " + setup);

            Result insert = call(client, "create_migration", "name", "note", "sql", "insert into log values (1);");
            assertFalse(insert.isError(), insert.toString());
            Result apply = call(client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", apply.errorCode(), apply.toString());
            assertTrue(apply.text().contains(atRisk), apply.text());
            assertEquals(3, TestDatabase.queryLong(p.database, "select count(*) from users"), "no user lost");
            assertEquals(0, TestDatabase.queryLong(p.database, "select count(*) from log"), "nothing applied");
        } finally {
            client.closeGracefully();
        }
    }
}
