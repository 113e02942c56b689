package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunTracer;
import dev.safemigrate.db.ScriptToRun;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/**
 * The attacks that worked as a superuser, run with the analysis bypassed (in a dry run of a
 * hand-written migration, and directly on the proven connection) as the least-privileged role
 * the tests connect as: PostgreSQL itself refuses each, and the harm did not happen.
 */
class LeastPrivilegeAttackTest {

    @TempDir
    Path root;

    private Project project(String prefix) {
        return Project.open(ProjectDir.create(root, TestDatabase.create(prefix), "").config());
    }

    /** Another database, not ours, marked production by a person. */
    private static String productionDatabase() {
        String other = TestDatabase.create("other_prod");
        TestDatabase.executeAsSuperuser("postgres", "alter database " + other + " owner to postgres");
        TestDatabase.executeAsSuperuser(other, "alter database " + other + " set safemigrate.environment = 'production'");
        return other;
    }

    private static DryRunResult dryRun(ProvenConnection db, String sql) throws SQLException {
        ScriptToRun script = new ScriptToRun("1", "db/migrations/V1__attack.sql",
                List.of(new ScriptToRun.Step(1, 1, sql, true, null)));
        return DryRunTracer.run(db.settings(), List.of(script), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    private static void assertRefusedByTheDatabase(DryRunResult r, String why) {
        assertFalse(r.success(), "the database must refuse it: " + r);
        assertTrue(r.failure().message().contains(why), r.failure().message());
    }

    @Test
    void theConnectionIsLeastPrivilegedAndVerified() throws Exception {
        try (Project p = project("lp_identity"); ProvenConnection db = ProvenConnection.open(p)) {
            assertTrue(db.leastPrivileged());
            assertTrue(db.identity().leastPrivileged());
            assertEquals(List.of(), db.identity().privileges());
            assertTrue(db.identity().verified(), db.identity().problems().toString());
        }
    }

    @Test
    void cannotRemoveTheProductionMarkerOfAnotherDatabase() throws Exception {
        String other = productionDatabase();
        try (Project p = project("lp_reset"); ProvenConnection db = ProvenConnection.open(p)) {
            assertRefusedByTheDatabase(dryRun(db, "ALTER DATABASE " + other + " RESET safemigrate.environment"),
                    "must be owner of database " + other);
            try (Statement s = db.connection().createStatement()) {
                assertThrows(SQLException.class, () -> s.execute("ALTER DATABASE " + other + " RESET ALL"));
            }
        }
        assertEquals(1, TestDatabase.queryLong(other, "select count(*) where current_setting('safemigrate.environment', true)"
                + " = 'production'"), "the marker is still there");
    }

    @Test
    void cannotRunShellCommandsThroughCopyToProgram() throws Exception {
        Path proof = root.resolve("pwned");
        try (Project p = project("lp_program"); ProvenConnection db = ProvenConnection.open(p)) {
            assertRefusedByTheDatabase(dryRun(db, "COPY (select 1) TO PROGRAM 'touch " + proof + "'"),
                    "pg_execute_server_program");
            try (Statement s = db.connection().createStatement()) {
                assertThrows(SQLException.class, () -> s.execute("COPY (select 1) TO PROGRAM 'touch " + proof + "'"));
            }
        }
        assertFalse(Files.exists(proof), "no shell command ran");
    }

    @Test
    void cannotReadServerFilesSuchAsTheProjectsSecrets() throws Exception {
        Path env = root.resolve(".env.local");
        Files.writeString(env, "DEV_DB_PASSWORD=hunter2-secret\n");
        try (Project p = project("lp_readfile"); ProvenConnection db = ProvenConnection.open(p)) {
            DryRunResult r = dryRun(db, "CREATE TABLE leak AS SELECT pg_read_file('" + env + "') AS secret");
            assertRefusedByTheDatabase(r, "permission denied for function pg_read_file");
            assertFalse(r.failure().message().contains("hunter2"), r.failure().message());
            try (Statement s = db.connection().createStatement()) {
                SQLException e = assertThrows(SQLException.class,
                        () -> s.executeQuery("select pg_read_file('" + env + "')"));
                assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            }
            assertRefusedByTheDatabase(dryRun(db, "COPY (select 1) TO '" + root.resolve("written") + "'"),
                    "pg_write_server_files");
        }
        assertFalse(Files.exists(root.resolve("written")), "no server file was written");
    }

    @Test
    void cannotReachAnotherDatabaseThroughDblink() throws Exception {
        String other = productionDatabase();
        assertEquals(1, TestDatabase.queryLong("postgres", "select count(*) from pg_available_extensions where name = 'dblink'"),
                "the test server must ship dblink, or this test proves nothing");
        try (Project p = project("lp_dblink"); ProvenConnection db = ProvenConnection.open(p)) {
            assertRefusedByTheDatabase(dryRun(db, "CREATE EXTENSION dblink"), "permission denied to create extension");
            try (Statement s = db.connection().createStatement()) {
                assertThrows(SQLException.class, () -> s.execute("CREATE EXTENSION dblink"));
                assertThrows(SQLException.class, () -> s.execute("CREATE ROLE intruder SUPERUSER LOGIN"));
            }
        }
        assertEquals(0, TestDatabase.queryLong("postgres", "select count(*) from pg_roles where rolname = 'intruder'"));
        assertEquals(0, TestDatabase.queryLong(other, "select count(*) from pg_extension where extname = 'dblink'"));
    }

    @Test
    void cannotSignalOtherBackends() throws Exception {
        // another ordinary role's session: only pg_signal_backend (or the same role) may end it
        String victimRole = "victim_" + ProcessHandle.current().pid();
        TestDatabase.executeAsSuperuser("postgres", "drop role if exists " + victimRole + "; create role " + victimRole
                + " login");
        try (Project p = project("lp_signal"); ProvenConnection db = ProvenConnection.open(p);
             java.sql.Connection victim = java.sql.DriverManager.getConnection(TestDatabase.url("postgres"), victimRole,
                     null)) {
            long pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            try (Statement s = db.connection().createStatement()) {
                assertThrows(SQLException.class, () -> s.executeQuery("select pg_terminate_backend(" + pid + ")"));
            }
            assertTrue(victim.isValid(2), "the other session was not terminated");
        }
    }
}
