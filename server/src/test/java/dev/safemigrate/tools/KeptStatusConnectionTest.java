package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.KeptConnection;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/**
 * status keeps its connection between calls, and still proves on it, every call, what a new
 * connection would prove: whatever changed in between (the marker, a role default, the search_path
 * new sessions get, a session someone tampered with or killed) is in the very next answer.
 */
class KeptStatusConnectionTest {

    @TempDir
    Path root;

    private StatusTool.Output status(StatusTool tool) {
        ToolResult r = tool.call(new StatusTool.Input());
        assertFalse(r.isError(), r.text());
        return (StatusTool.Output) r.structured();
    }

    private static int backendPid(Project project) throws Exception {
        ConnectionSettings settings = project.database().settings();
        KeptConnection.Taken taken = project.keptConnection().take(settings);
        try (Statement s = taken.connection().createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } finally {
            project.keptConnection().give(taken.connection(), settings, taken.baseline());
        }
    }

    @Test
    void theConnectionIsKeptAndTheIdentityProvenOnItEveryCall() throws Exception {
        String db = TestDatabase.create("kept_marker");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            StatusTool tool = new StatusTool(project);
            assertTrue(status(tool).database().verified());
            int pid = backendPid(project);
            assertTrue(status(tool).database().verified());
            assertEquals(pid, backendPid(project), "a second status call on an unchanged database reuses the session");
            TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
            StatusTool.Output after = status(tool);
            assertFalse(after.database().verified(), "marked production between two calls: " + after.database());
            assertEquals("production", after.database().environment());
        }
    }

    @Test
    void aRoleDefaultSetBetweenCallsIsWhatTheNextCallSees() {
        String db = TestDatabase.create("kept_role_default");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            StatusTool tool = new StatusTool(project);
            assertTrue(status(tool).database().verified());
            // a running session keeps the defaults it started with; a new one (Flyway's) gets this
            TestDatabase.executeAsSuperuser(db, "alter role " + TestDatabase.APP_ROLE + " in database " + db
                    + " set safemigrate.environment = 'production'");
            StatusTool.Output after = status(tool);
            assertFalse(after.database().verified(), after.database().toString());
            assertTrue(String.join("; ", after.database().problems()).contains("this connection sees safemigrate.environment = 'production'"),
                    after.database().problems().toString());
        }
    }

    @Test
    void theSearchPathNewSessionsGetIsReportedAfterItChanged() {
        String db = TestDatabase.create("kept_path");
        TestDatabase.execute(db, "create schema app");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            StatusTool tool = new StatusTool(project);
            assertEquals("\"$user\", public", status(tool).database().searchPath());
            TestDatabase.executeAsSuperuser(db, "alter database " + db + " set search_path = app, public");
            StatusTool.Output after = status(tool);
            assertEquals("app, public", after.database().searchPath());
            assertTrue(after.schemas().stream().anyMatch(s -> s.name().equals("app") && s.inSearchPath()), after.schemas().toString());
        }
    }

    @Test
    void aSessionNotAsTheServerLeftItIsReplaced() throws Exception {
        String db = TestDatabase.create("kept_tampered");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            StatusTool tool = new StatusTool(project);
            status(tool);
            ConnectionSettings settings = project.database().settings();
            KeptConnection.Taken taken = project.keptConnection().take(settings);
            int tamperedPid;
            try (Statement s = taken.connection().createStatement()) {
                // what a query that slipped through could leave behind: a path resolving to the agent's objects
                s.execute("set search_path to public");
                ResultSet rs = s.executeQuery("select pg_backend_pid()");
                rs.next();
                tamperedPid = rs.getInt(1);
            }
            project.keptConnection().give(taken.connection(), settings, taken.baseline());
            StatusTool.Output after = status(tool);
            assertTrue(after.database().verified());
            assertEquals("\"$user\", public", after.database().searchPath());
            assertNotEquals(tamperedPid, backendPid(project), "the tampered session was closed, not reused");
            assertTrue(taken.connection().isClosed());
        }
    }

    @Test
    void aSessionTheServerEndedIsReopenedWithoutAnError() throws Exception {
        String db = TestDatabase.create("kept_terminated");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            StatusTool tool = new StatusTool(project);
            status(tool);
            int pid = backendPid(project);
            try (Connection c = TestDatabase.connectAsSuperuser(db); Statement s = c.createStatement()) {
                s.execute("select pg_terminate_backend(" + pid + ")");
            }
            StatusTool.Output after = status(tool);
            assertTrue(after.database().verified(), after.database().toString());
            assertNotEquals(pid, backendPid(project));
        }
    }

    @Test
    void aTableAnotherSessionCreatedBetweenCallsIsCountedByTheNextCall() {
        String db = TestDatabase.create("kept_tables");
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            TestDatabase.execute(db, "create table a (id int)");
            StatusTool tool = new StatusTool(project);
            assertEquals(1, publicTables(status(tool)));
            assertEquals(1, publicTables(status(tool)));
            TestDatabase.execute(db, "create table b (id int)");
            assertEquals(2, publicTables(status(tool)));
        }
    }

    private static int publicTables(StatusTool.Output out) {
        return out.schemas().stream().filter(s -> s.name().equals("public")).findFirst().orElseThrow().tables();
    }

    @Test
    void onlyAnUntouchedSessionCountsAsLeft() {
        KeptConnection.Baseline b = new KeptConnection.Baseline("app", "d1");
        assertTrue(KeptConnection.asLeft(b, new dev.safemigrate.db.IdentityProbe.Session("pg_catalog, pg_temp", "app", "app", "d1")));
        assertFalse(KeptConnection.asLeft(b, new dev.safemigrate.db.IdentityProbe.Session("public", "app", "app", "d1")));
        assertFalse(KeptConnection.asLeft(b, new dev.safemigrate.db.IdentityProbe.Session("pg_catalog, pg_temp", "app", "other", "d1")));
        assertFalse(KeptConnection.asLeft(b, new dev.safemigrate.db.IdentityProbe.Session("pg_catalog, pg_temp", "other", "other", "d1")));
        assertFalse(KeptConnection.asLeft(b, new dev.safemigrate.db.IdentityProbe.Session("pg_catalog, pg_temp", "app", "app", "d2")));
    }
}
