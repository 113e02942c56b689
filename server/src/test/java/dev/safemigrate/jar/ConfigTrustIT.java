package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditReader;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The built jar over stdio: an agent that edits safemigrate.toml while the server runs (here: to
 * connect as the superuser, which it then allows) gets CONFIG_NOT_TRUSTED at once, and after a
 * restart too; nothing is applied or backed up, and no tool touched the approval.
 */
@Timeout(180)
class ConfigTrustIT {

    @TempDir
    Path root;

    @Test
    void anEditOfARunningProjectsConfigurationIsRefusedAndNothingIsApplied() throws Exception {
        String db = TestDatabase.create("jar_trust");
        ProjectDir p = ProjectDir.create(root, db, "");
        Path record = TrustRecord.file(p.config());
        String approved = Files.readString(record);
        List<String> stderr = new ArrayList<>();
        McpSyncClient client = JarServer.start(root, stderr, "serve", "--config", p.configFile().toString());
        try {
            assertEquals("trusted", call(client, "status").get("trust.state"));
            assertFalse(call(client, "create_migration", "name", "edited_t", "sql", "create table edited_t (id int);")
                    .isError());

            Files.writeString(p.configFile(), Files.readString(p.configFile())
                    .replace("user = \"" + TestDatabase.APP_ROLE + "\"", "user = \"" + TestDatabase.SUPERUSER + "\"")
                    + "\n[policy]\nallow_privileged_role = true\n");

            Result apply = call(client, "apply_to_dev");
            assertEquals("CONFIG_NOT_TRUSTED", apply.errorCode(), apply.toString());
            String message = (String) apply.get("error.message");
            assertTrue(message.contains("dev.user: " + TestDatabase.APP_ROLE + " → " + TestDatabase.SUPERUSER), message);
            assertTrue(message.contains("policy.allow_privileged_role: false → true"), message);
            assertTrue(message.contains("edited after this server started"), message);
            assertTrue(((String) apply.get("error.hint")).contains("safemigrate trust --config " + p.configFile()),
                    apply.toString());
            assertEquals("CONFIG_NOT_TRUSTED", call(client, "apply_to_dev", "dry_run", true).errorCode());
            assertEquals("CONFIG_NOT_TRUSTED", call(client, "backup").errorCode());

            Result status = call(client, "status");
            assertEquals("changed", status.get("trust.state"), status.toString());
            assertEquals(List.of("dev.user", "policy.allow_privileged_role"), status.get("trust.changed"));
            assertTrue(((String) status.get("next")).contains("safemigrate trust --config " + p.configFile()),
                    status.toString());
        } finally {
            client.closeGracefully();
        }

        McpSyncClient restarted = JarServer.start(root, stderr, "serve", "--config", p.configFile().toString());
        try {
            Result apply = call(restarted, "apply_to_dev");
            assertEquals("CONFIG_NOT_TRUSTED", apply.errorCode(), "read at start, it is still not approved: " + apply);
            assertFalse(((String) apply.get("error.message")).contains("edited after this server started"), apply.toString());
        } finally {
            restarted.closeGracefully();
        }

        assertFalse(TestDatabase.tableExists(db, "edited_t"), "nothing was applied");
        assertFalse(TestDatabase.tableExists(db, "flyway_schema_history"));
        assertEquals(List.of(), p.backupFiles());
        assertEquals(approved, Files.readString(record), "no tool writes the approval");
        List<AuditEntry> refused = AuditReader.read(root.resolve(".safemigrate/audit.jsonl")).stream()
                .map(AuditReader.Line::entry).filter(e -> "CONFIG_NOT_TRUSTED".equals(e.code())).toList();
        assertEquals(4, refused.size(), refused.toString());
        assertTrue(refused.stream().allMatch(e -> AuditEntry.REFUSED.equals(e.decision())), refused.toString());
    }
}
