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
 * Every refusal leaves everything as it was: no file written, no table created, no history
 * table, no backup; and status still answers, saying why.
 */
class RefusalTest {

    @TempDir
    Path root;

    private static final String CREATE = "create table refused_t (id int);";

    @Test
    void refusesPathLikeMigrationNameAndWritesNothing() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("names"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            for (String name : List.of("../../etc/passwd", "a/b", "..", "Add_Users", "x".repeat(61), "")) {
                Result r = call(s.client, "create_migration", "name", name, "sql", CREATE);
                assertTrue(r.isError(), name);
                assertEquals("INVALID_NAME", r.errorCode(), name);
            }
        }
        assertEquals(List.of(), p.migrationFiles());
        assertFalse(Files.exists(root.resolve("etc")));
        assertFalse(Files.exists(root.getParent().getParent().resolve("etc/passwd.sql")));
    }

    @Test
    void refusesDatabaseNamedProduction() {
        String db = TestDatabase.createExact("shop_production");
        assertRefusedEverywhere(ProjectDir.create(root, db, ""), "database name 'shop_production' matches");
    }

    @Test
    void refusesDatabaseMarkedProduction() {
        String db = TestDatabase.create("marked");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        assertRefusedEverywhere(ProjectDir.create(root, db, ""), "marked safemigrate.environment = 'production'");
    }

    @Test
    void refusesHostOutsideAllowHosts() {
        String db = TestDatabase.create("hosts");
        assertRefusedEverywhere(ProjectDir.create(root, db, "\n[policy]\nallow_hosts = [\"db.dev.internal\"]\n"),
                "host 'localhost' is not in policy.allow_hosts");
    }

    @Test
    void refusesWhenExpectedDatabaseDiffers() {
        String db = TestDatabase.create("expect");
        ProjectDir p = ProjectDir.create(root, db, "");
        try {
            Files.writeString(p.configFile(), Files.readString(p.configFile()).replace("[dev]\n",
                    "[dev]\nexpect_database = \"app_dev\"\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        p.approve();
        assertRefusedEverywhere(p, "dev.expect_database is 'app_dev'");
    }

    @Test
    void acceptsDatabaseMarkedDev() {
        String db = TestDatabase.create("markeddev");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'dev'");
        ProjectDir p = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(true, status.get("database.verified"));
            assertEquals("dev", status.get("database.environment"));
        }
    }

    /** The superuser local setups often use: every write refused, the privilege named with the fix. */
    @Test
    void refusesASuperuserNamingThePrivilegeAndTheFix() throws Exception {
        ProjectDir p = asSuperuser(ProjectDir.create(root, TestDatabase.create("superuser"), ""));
        assertRefusedEverywhere(p, "role 'postgres' holds powers beyond its own database (superuser");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(false, status.get("database.least_privileged"));
            assertTrue(((List<?>) status.get("database.privileges")).contains("superuser"), status.toString());
            assertTrue(((List<?>) status.get("database.privileges")).contains("pg_execute_server_program"), status.toString());
            assertTrue(status.list("database.problems").toString().contains("mark-dev --create-role NAME"),
                    status.toString());
        }
    }

    @Test
    void refusesARoleThatCanCreateRolesOrReadServerFiles() throws Exception {
        String role = "powerful_" + ProcessHandle.current().pid();
        TestDatabase.executeAsSuperuser("postgres", "drop role if exists " + role + "; create role " + role
                + " login createrole; grant pg_read_server_files to " + role);
        String db = TestDatabase.create("powerful");
        TestDatabase.executeAsSuperuser("postgres", "alter database " + db + " owner to " + role);
        ProjectDir p = ProjectDir.create(root, db, "");
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + role + "\""));
        p.approve();
        assertRefusedEverywhere(p, "(createrole, pg_read_server_files)");
    }

    @Test
    void aPersonCanOptInToAPrivilegedRole() throws Exception {
        ProjectDir p = asSuperuser(ProjectDir.create(root, TestDatabase.create("optin"),
                "\n[policy]\nallow_privileged_role = true\n"));
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result status = call(s.client, "status");
            assertEquals(true, status.get("database.verified"), status.toString());
            assertEquals(false, status.get("database.least_privileged"));
            assertTrue(((List<?>) status.get("database.privileges")).contains("superuser"));
        }
    }

    private static ProjectDir asSuperuser(ProjectDir p) throws java.io.IOException {
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + TestDatabase.SUPERUSER + "\""));
        return p.approve();
    }

    /** A pending migration exists; neither apply nor backup may touch this database. */
    private void assertRefusedEverywhere(ProjectDir p, String reason) {
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "refused_t", "sql", CREATE);
            assertFalse(created.isError(), "writing a file is not a database write: " + created);

            for (Object[] call : new Object[][] {{"apply_to_dev"}, {"apply_to_dev", "dry_run", true}, {"backup"}}) {
                Object[] args = java.util.Arrays.copyOfRange(call, 1, call.length);
                Result r = call(s.client, (String) call[0], args);
                assertTrue(r.isError(), call[0] + " must refuse: " + r);
                assertEquals("NOT_DEV_DATABASE", r.errorCode());
                assertTrue(((String) r.get("error.message")).contains(reason), r.toString());
                assertEquals(false, r.get("database.verified"));
                assertTrue(r.text().contains("NOT_DEV_DATABASE"));
            }

            Result status = call(s.client, "status");
            assertFalse(status.isError(), "status answers on any database: " + status);
            assertEquals(false, status.get("database.verified"));
            assertTrue(status.list("database.problems").toString().contains(reason), status.toString());
            assertEquals(1, status.get("summary.pending"));
        }
        assertFalse(TestDatabase.tableExists(p.database, "refused_t"));
        assertFalse(TestDatabase.tableExists(p.database, "flyway_schema_history"));
        assertEquals(List.of(), p.backupFiles());
    }
}
