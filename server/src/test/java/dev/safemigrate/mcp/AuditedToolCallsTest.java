package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditReader;
import dev.safemigrate.audit.ChainVerifier;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** Every tool call through the real MCP client leaves one entry, whatever its outcome. */
class AuditedToolCallsTest {

    @TempDir
    Path root;

    @Test
    void allowedRefusedAndInvalidCallsAreAllRecorded() throws Exception {
        String db = TestDatabase.create("audited");
        ProjectDir project = ProjectDir.create(root, db, "");
        Result created;
        Result backup;
        try (InProcessServer s = InProcessServer.start(project.config())) {
            assertFalse(call(s.client, "status").isError());
            assertEquals("INVALID_NAME", call(s.client, "create_migration", "name", "Bad Name", "sql", "select 1;").errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "create_migration", "name", 42, "sql", "select 1;").errorCode());
            assertEquals("SQL_REJECTED", call(s.client, "create_migration", "name", "oops",
                    "sql", "-- only a comment\n").errorCode());
            created = call(s.client, "create_migration", "name", "create_items", "sql", "create table items (id int);");
            assertFalse(created.isError(), created.toString());
            assertFalse(call(s.client, "apply_to_dev").isError());
            backup = call(s.client, "backup", "label", "audited");
            assertFalse(backup.isError(), backup.toString());
        }

        List<AuditEntry> entries = entries(project);
        assertEquals(List.of("status", "create_migration", "create_migration", "create_migration", "create_migration",
                "apply_to_dev", "backup"), entries.stream().map(AuditEntry::tool).toList());
        for (AuditEntry e : entries) {
            assertEquals(new AuditEntry.Client("safemigrate-tests", "1.0"), e.client(), "client from initialize");
            assertNotNull(e.session());
            assertTrue(e.durationMs() >= 0);
        }
        assertEquals(1, entries.stream().map(AuditEntry::session).distinct().count(), "one session");

        AuditEntry status = entries.get(0);
        assertEquals(AuditEntry.ALLOWED, status.decision());
        assertEquals(db, status.database().get("name"), "the identity block of the result");
        assertEquals(true, status.database().get("verified"));
        assertEquals(0, status.summary().get("applied"));
        assertEquals(0, status.summary().get("pending"));
        assertEquals(true, status.summary().get("valid"), "status's own record says what its line records");

        assertRefused(entries.get(1), "INVALID_NAME");
        assertEquals("Bad Name", entries.get(1).arguments().get("name"));
        assertRefused(entries.get(2), "INVALID_INPUT");
        assertEquals(42, entries.get(2).arguments().get("name"));
        assertRefused(entries.get(3), "SQL_REJECTED");
        assertTrue(entries.get(3).reason().contains("no statement"), entries.get(3).reason());

        AuditEntry create = entries.get(4);
        assertEquals(AuditEntry.ALLOWED, create.decision());
        assertEquals(created.get("version"), create.summary().get("version"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sql = (Map<String, Object>) create.arguments().get("sql");
        assertEquals(List.of("create table items (id int);"), sql.get("first_lines"));

        AuditEntry apply = entries.get(5);
        assertEquals(List.of(created.get("version")), apply.summary().get("applied"));
        assertEquals(false, apply.summary().get("dry_run"));

        AuditEntry dump = entries.get(6);
        assertEquals(AuditEntry.ALLOWED, dump.decision());
        assertEquals(backup.get("backup.file"), dump.summary().get("file"));
        assertEquals(backup.get("backup.sha256"), dump.summary().get("sha256"));
        assertEquals(2, dump.summary().get("tables"), "items and Flyway's history: " + backup.get("backup.tables"));
        assertEquals(1, ((Number) dump.summary().get("total_rows")).intValue(), "the history row of the applied migration");
        assertEquals(backup.get("backup.total_rows"), dump.summary().get("total_rows"));

        assertTrue(ChainVerifier.verify(project.config().audit().log(), project.config().keys()).trusted());
    }

    @Test
    void refusalOnAProductionMarkedDatabaseIsRecordedWithItsIdentityAndNoToken() throws Exception {
        String db = TestDatabase.create("audited_marked");
        TestDatabase.executeAsSuperuser(db, "alter database " + db + " set safemigrate.environment = 'production'");
        ProjectDir project = ProjectDir.create(root, db, "");
        String token = "tok-0123456789abcdef0123456789abcdef";
        try (InProcessServer s = InProcessServer.start(project.config())) {
            assertEquals("NOT_DEV_DATABASE", call(s.client, "apply_to_dev", "confirm", token).errorCode());
        }
        AuditEntry e = entries(project).get(0);
        assertRefused(e, "NOT_DEV_DATABASE");
        assertEquals("production", e.database().get("environment"));
        assertEquals(false, e.database().get("verified"));
        assertEquals(true, ((Map<?, ?>) e.arguments().get("confirm")).get("present"));
        assertFalse(Files.readString(project.config().audit().log()).contains(token));
    }

    @Test
    void anUnreachableDatabaseIsRecordedAsError() throws Exception {
        Files.writeString(root.resolve("safemigrate.toml"), """
                [dev]
                url = "jdbc:postgresql://localhost:1/nothing_here"
                user = "postgres"
                """);
        Config config = new ConfigLoader(name -> null).load(null, root);
        try (InProcessServer s = InProcessServer.start(config)) {
            assertEquals("DATABASE_UNREACHABLE", call(s.client, "status").errorCode());
        }
        AuditEntry e = entries(config).get(0);
        assertEquals(AuditEntry.ERROR, e.decision());
        assertEquals("DATABASE_UNREACHABLE", e.code());
        assertNull(e.database());
    }

    @Test
    void aLogThatCannotBeWrittenIsLoudOnStderrButTheCallSucceeds() throws Exception {
        String db = TestDatabase.create("audited_broken");
        Files.writeString(root.resolve("not-a-folder"), "a file where the log's folder should be");
        ProjectDir project = ProjectDir.create(root, db, "\n[audit]\nlog = \"not-a-folder/audit.jsonl\"\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (InProcessServer s = InProcessServer.start(project.config())) {
            assertFalse(call(s.client, "status").isError());
            assertFalse(call(s.client, "status").isError(), "the server keeps serving");
        } finally {
            System.setErr(original);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains("AUDIT LOG NOT WRITTEN for a status call"), stderr);
        assertTrue(stderr.contains("not-a-folder"), stderr);
    }

    /**
     * A finding accepted with {@code -- safemigrate:allow} is recorded, with its reason, in the line of
     * every call that reports it — written, shown, dry-run, refused — read back from the real log,
     * with a configured secret cut out of the reason like everything else the line holds.
     */
    @Test
    void everyCallThatReportsAnAcceptedFindingRecordsItsRuleFileLineAndReason() throws Exception {
        String db = TestDatabase.create("audited_allow");
        String secret = "pw-in-reason-7781";
        Files.writeString(root.resolve(".env.local"), "DEV_DB_PASSWORD=" + secret + "\n");
        ProjectDir project = ProjectDir.create(root, db, "");
        Files.writeString(project.configFile(), Files.readString(project.configFile()).replace("[backup]",
                "password = \"${dotenv:.env.local:DEV_DB_PASSWORD}\"\n\n[backup]"));
        project.approve();
        String path;
        try (InProcessServer s = InProcessServer.start(project.config())) {
            call(s.client, "create_migration", "name", "base", "sql", "create table base (id int, note text);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            TestDatabase.execute(db, "insert into base values (1, 'kept')");
            Result created = call(s.client, "create_migration", "name", "drop_note", "sql",
                    "-- safemigrate:allow drop-column unused since 4.2, see " + secret + "\nalter table base drop column note;");
            assertFalse(created.isError(), created.toString());
            path = (String) created.get("path");
            assertFalse(call(s.client, "show_sql", "pending", true).isError());
            assertFalse(call(s.client, "apply_to_dev", "dry_run", true).isError());
            // the comment accepts the rule, not the data: the dry run still finds a value at risk here
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev").errorCode());
        }

        List<AuditEntry> entries = entries(project);
        assertEquals(List.of("create_migration", "apply_to_dev", "create_migration", "show_sql", "apply_to_dev",
                "apply_to_dev"), entries.stream().map(AuditEntry::tool).toList());
        Map<String, Object> accepted = Map.of("rule", "drop-column", "file", path, "line", 2,
                "reason", "unused since 4.2, see [redacted]");
        for (AuditEntry e : entries.subList(2, 6)) {
            assertEquals(List.of(accepted), e.summary().get("accepted"), e.tool() + " " + e.decision() + ": " + e.summary());
        }
        assertEquals(AuditEntry.REFUSED, entries.get(5).decision());
        assertEquals(true, entries.get(4).summary().get("dry_run"));
        assertNull(entries.get(0).summary().get("accepted"), "nothing accepted, nothing listed");
        assertFalse(Files.readString(project.config().audit().log()).contains(secret), "the secret is cut out");
        assertTrue(ChainVerifier.verify(project.config().audit().log(), project.config().keys()).trusted());
    }

    private static void assertRefused(AuditEntry e, String code) {
        assertEquals(AuditEntry.REFUSED, e.decision(), e.toString());
        assertEquals(code, e.code());
        assertNotNull(e.reason());
    }

    private static List<AuditEntry> entries(ProjectDir project) throws Exception {
        return entries(project.config());
    }

    private static List<AuditEntry> entries(Config config) throws Exception {
        return AuditReader.read(config.audit().log()).stream().map(AuditReader.Line::entry).toList();
    }
}
