package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The spoof that worked: a search_path with public before pg_catalog, and functions and an
 * operator there that lie about the database's name, role, marker and replica state. What
 * migrations (run as the role that owns the database) can create, the identity proof must not
 * believe, and pg_dump must never be pointed at a name read back from the database.
 */
class IdentitySpoofTest {

    /** Would send pg_dump, and the password, elsewhere if it were used as --dbname. */
    private static final String LYING_NAME = "app_dev host=127.0.0.1 port=1";

    @TempDir
    Path root;

    /** What a migration run as the database's owner can do. */
    private static void plantLies(String db, boolean asSuperuser) {
        String sql = """
                alter database %1$s set search_path = "$user", public, pg_catalog;
                create function public.current_database() returns name language sql as $$ select '%2$s'::name $$;
                create function public."current_user"() returns name language sql as $$ select 'nobody'::name $$;
                create function public.current_setting(text) returns text language sql as $$ select 'lie' $$;
                create function public.current_setting(text, boolean) returns text language sql as $$ select 'dev' $$;
                create function public.pg_is_in_recovery() returns boolean language sql as $$ select false $$;
                create function public.host(inet) returns text language sql as $$ select 'localhost' $$;
                create function public.pg_has_role(oid, name, text) returns boolean language sql as $$ select false $$;
                create function public.lie_eq(name, name) returns boolean language sql as $$ select true $$;
                create operator public.= (leftarg = name, rightarg = name, function = public.lie_eq);
                create table public.items (id bigint primary key);
                insert into public.items values (1), (2), (3);
                """.formatted(db, LYING_NAME);
        if (asSuperuser) {
            TestDatabase.executeAsSuperuser(db, sql);
        } else {
            TestDatabase.execute(db, sql);
        }
    }

    @Test
    void aSpoofedIdentityIsNeverVerified() {
        String db = TestDatabase.create("spoof_prod");
        plantLies(db, false);
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        ProjectDir p = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(db, status.get("database.name"), status.toString());
            assertEquals(TestDatabase.APP_ROLE, status.get("database.user"));
            assertEquals("production", status.get("database.environment"));
            assertEquals(false, status.get("database.verified"));
            assertTrue(status.list("database.problems").toString().contains("marked safemigrate.environment = 'production'"),
                    status.toString());
            assertEquals("\"$user\", public, pg_catalog", status.get("database.search_path"),
                    "status still reports the path migrations run under");

            Result backup = call(s.client, "backup");
            assertEquals("NOT_DEV_DATABASE", backup.errorCode(), backup.toString());
        }
        assertEquals(List.of(), p.backupFiles());
    }

    @Test
    void aSuperuserCannotHideItsPowerBehindTheSearchPath() throws Exception {
        String db = TestDatabase.create("spoof_super");
        plantLies(db, true);
        ProjectDir p = ProjectDir.create(root, db, "");
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + TestDatabase.SUPERUSER + "\""));
        p.approve();
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(TestDatabase.SUPERUSER, status.get("database.user"), status.toString());
            assertEquals(false, status.get("database.least_privileged"));
            assertTrue(((List<?>) status.get("database.privileges")).contains("superuser"), status.toString());
            assertTrue(((List<?>) status.get("database.privileges")).contains("pg_read_server_files"), status.toString());
            assertEquals(false, status.get("database.verified"));
        }
    }

    @Test
    void pgDumpGetsTheConfiguredNameNotTheOneReadBack() {
        String db = TestDatabase.create("spoof_dump");
        plantLies(db, false);
        ProjectDir p = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(db, status.get("database.name"));
            assertEquals(true, status.get("database.verified"), status.toString());

            Result backup = call(s.client, "backup");
            assertFalse(backup.isError(), "pg_dump reached the configured database: " + backup);
            assertEquals(db, backup.get("database.name"));
            assertEquals(3, ((Number) backup.get("backup.total_rows")).intValue(), backup.toString());
        }
        assertEquals(1, p.backupFiles().stream().filter(f -> f.toString().endsWith(".dump")).count());
    }

    /** A role default can override what the session sees; the database's own marker is what counts. */
    @Test
    void aRoleDefaultCannotOverrideTheDatabasesMarker() throws Exception {
        String role = "marker_role_" + ProcessHandle.current().pid();
        String db = TestDatabase.create("spoof_rolemarker");
        TestDatabase.executeAsSuperuser("postgres", "drop role if exists " + role + "; create role " + role + " login");
        TestDatabase.executeAsSuperuser("postgres", "alter database " + db + " owner to " + role);
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'; "
                + "alter role " + role + " in database " + db + " set safemigrate.environment = 'dev'");
        ProjectDir p = ProjectDir.create(root, db, "");
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + role + "\""));
        p.approve();
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals("production", status.get("database.environment"), status.toString());
            assertEquals(false, status.get("database.verified"));
        }
    }
}
