package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** Destructive changes are applied only after someone who saw the consequences said yes, and after a backup. */
class ConfirmationGateTest {

    @TempDir
    Path root;

    private ProjectDir project;
    private int projects;

    /** Table t(id, note) applied, 10 rows with 7 notes; a pending migration drops the note column. */
    private InProcessServer withPendingDrop(String prefix, String policy, java.util.function.Consumer<io.modelcontextprotocol.client.McpClient.SyncSpec> client) {
        Path dir = root.resolve(prefix + "_" + (++projects));
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        project = ProjectDir.create(dir, TestDatabase.create(prefix), policy);
        InProcessServer s = InProcessServer.start(project.config(), client);
        call(s.client, "create_migration", "name", "create_t", "sql", "create table t (id bigint primary key, note text);");
        assertFalse(call(s.client, "apply_to_dev").isError());
        TestDatabase.execute(project.database, "insert into t select g, case when g <= 7 then 'n' || g end from generate_series(1, 10) g");
        assertFalse(call(s.client, "create_migration", "name", "drop_note", "sql", "alter table t drop column note;").isError());
        return s;
    }

    private InProcessServer withPendingDrop(String prefix) {
        return withPendingDrop(prefix, "", spec -> {});
    }

    private boolean noteExists() {
        return TestDatabase.queryLong(project.database,
                "select count(*) from information_schema.columns where table_name = 't' and column_name = 'note'") == 1;
    }

    @Test
    void destructiveApplyNeedsConfirmationThenAValidTokenAppliesAfterABackup() throws Exception {
        try (InProcessServer s = withPendingDrop("confirm")) {
            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            assertTrue(noteExists(), "nothing applied without confirmation");
            assertEquals(List.of(), project.backupFiles(), "no backup for a refused apply");
            String token = (String) refused.get("confirmation_token");
            assertNotNull(token);
            assertTrue(refused.list("findings").stream().anyMatch(f -> f.get("rule").equals("drop-column")));
            Map<String, Object> atRisk = refused.list("data_at_risk").get(0);
            assertEquals("column public.t.note", atRisk.get("object"));
            assertEquals(7, ((Number) atRisk.get("rows")).intValue());

            Result applied = call(s.client, "apply_to_dev", "confirm", token);
            assertFalse(applied.isError(), applied.toString());
            assertFalse(noteExists());
            Path dump = project.root.resolve((String) applied.get("backup.path"));
            assertTrue(Files.isRegularFile(dump), "a backup precedes a destructive apply");
            assertTrue(restoreSchema(dump).contains("note text"), "the backup was taken before the column was dropped");
            assertEquals(List.of("column public.t.note"), applied.get("schema_diff.dropped"));
        }
    }

    @Test
    void aTokenDoesNotCoverAMigrationEditedAfterItWasIssued() throws Exception {
        try (InProcessServer s = withPendingDrop("edited")) {
            Result refused = call(s.client, "apply_to_dev");
            Path pending = project.migrationFiles().stream().filter(f -> f.toString().contains("drop_note")).findFirst().orElseThrow();
            Files.writeString(pending, "alter table t drop column note;\ndrop table t;\n");
            Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertEquals("CONFIRMATION_REQUIRED", again.errorCode());
            assertTrue(((String) again.get("error.message")).contains("does not cover"), again.toString());
            assertTrue(TestDatabase.tableExists(project.database, "t"));
            assertTrue(noteExists());
        }
    }

    @Test
    void aTokenDoesNotCoverAMigrationAddedSince() {
        try (InProcessServer s = withPendingDrop("added")) {
            Result refused = call(s.client, "apply_to_dev");
            call(s.client, "create_migration", "name", "drop_t", "sql", "drop table t;");
            Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertEquals("CONFIRMATION_REQUIRED", again.errorCode());
            assertTrue(TestDatabase.tableExists(project.database, "t"));
            assertTrue(noteExists());
        }
    }

    @Test
    void anExpiredOrForgedTokenIsRefused() {
        try (InProcessServer s = withPendingDrop("expired")) {
            String token = (String) call(s.client, "apply_to_dev").get("confirmation_token");
            s.project.useClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));
            Result expired = call(s.client, "apply_to_dev", "confirm", token);
            assertEquals("CONFIRMATION_REQUIRED", expired.errorCode());
            assertTrue(((String) expired.get("error.message")).contains("expired"));
            s.project.useClock(Clock.systemUTC());
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev", "confirm", "yes, I am sure").errorCode());
            String[] parts = token.split("\\.");
            String forged = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev", "confirm", forged).errorCode());
            assertTrue(noteExists());
        }
    }

    @Test
    void policyRefuseNeverAppliesADestructiveChange() {
        try (InProcessServer s = withPendingDrop("refuse", "\n[policy]\ndestructive = \"refuse\"\n", spec -> {})) {
            Result r = call(s.client, "apply_to_dev");
            assertEquals("POLICY_REFUSED", r.errorCode());
            assertTrue(noteExists());
        }
    }

    @Test
    void policyHumanAsksThePersonWhoAccepts() {
        List<McpSchema.ElicitFormRequest> asked = new ArrayList<>();
        try (InProcessServer s = withPendingDrop("human_yes", "\n[policy]\ndestructive = \"human\"\n",
                spec -> spec.elicitation(req -> {
                    asked.add(req);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true));
                }))) {
            Result r = call(s.client, "apply_to_dev");
            assertFalse(r.isError(), r.toString());
            assertFalse(noteExists());
            assertEquals(1, asked.size());
            assertTrue(asked.get(0).message().contains("public.t.note") && asked.get(0).message().contains("7"),
                    "the person sees the findings and the data at risk: " + asked.get(0).message());
        }
    }

    @Test
    void policyHumanRefusesWhenThePersonDeclinesOrDoesNotTick() {
        for (McpSchema.ElicitResult answer : List.of(
                new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
                new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null),
                new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", false)))) {
            try (InProcessServer s = withPendingDrop("human_no", "\n[policy]\ndestructive = \"human\"\n",
                    spec -> spec.elicitation(req -> answer))) {
                Result r = call(s.client, "apply_to_dev");
                assertEquals("POLICY_REFUSED", r.errorCode(), answer.toString());
                assertTrue(noteExists());
            }
        }
    }

    @Test
    void policyHumanWithAClientThatCannotAskRefusesAndIgnoresTokens() {
        try (InProcessServer s = withPendingDrop("human_cannot", "\n[policy]\ndestructive = \"human\"\n", spec -> {})) {
            Result r = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", r.errorCode());
            assertTrue(((String) r.get("error.message")).contains("elicitation"), r.toString());
            assertEquals(null, r.get("confirmation_token"), "no token an agent could use to approve itself");
            assertTrue(noteExists());
        }
    }

    @Test
    void aFailedBackupPreventsTheApply() throws Exception {
        project = null;
        try (InProcessServer s = withBrokenPgDump()) {
            String token = (String) call(s.client, "apply_to_dev").get("confirmation_token");
            Result r = call(s.client, "apply_to_dev", "confirm", token);
            assertEquals("BACKUP_FAILED", r.errorCode(), r.toString());
            assertTrue(((String) r.get("error.hint")).contains("pg_dump"));
            assertTrue(noteExists(), "nothing applied when the backup failed");
        }
    }

    /** Like withPendingDrop, but [backup] pg_dump names an executable that does not exist. */
    private InProcessServer withBrokenPgDump() throws Exception {
        InProcessServer setup = withPendingDrop("nobackup");
        setup.close();
        Files.writeString(project.configFile(), Files.readString(project.configFile())
                .replace("keep = 3", "keep = 3\npg_dump = \"/nonexistent/pg_dump\""));
        return InProcessServer.start(project.approve().config());
    }

    @Test
    void progressIsNotifiedPerMigrationWhenAsked() {
        // the client may hand notifications to its consumer on different threads, so in any order
        List<McpSchema.ProgressNotification> progress = java.util.Collections.synchronizedList(new ArrayList<>());
        project = ProjectDir.create(root, TestDatabase.create("progress"), "");
        try (InProcessServer s = InProcessServer.start(project.config(), spec -> spec.progressConsumer(progress::add))) {
            call(s.client, "create_migration", "name", "a", "sql", "create table a (id bigint);");
            call(s.client, "create_migration", "name", "b", "sql", "create table b (id bigint);");
            McpSchema.CallToolResult r = s.client.callTool(new McpSchema.CallToolRequest("apply_to_dev", Map.of(),
                    Map.of("progressToken", "apply-1")));
            assertFalse(Boolean.TRUE.equals(r.isError()), r.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (progress.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2, progress.size(), progress.toString());
            List<McpSchema.ProgressNotification> seen = List.copyOf(progress);
            assertTrue(seen.stream().allMatch(n -> n.progressToken().equals("apply-1") && n.total() == 2.0), seen.toString());
            assertEquals(List.of(1.0, 2.0), seen.stream().map(McpSchema.ProgressNotification::progress).sorted().toList());
        }
    }

    /** The schema inside a custom-format dump, via pg_restore. */
    private static String restoreSchema(Path dump) throws Exception {
        Process p = new ProcessBuilder("pg_restore", "--schema-only", "--file=-", dump.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
