package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.cli.init.PlannedFile;
import dev.safemigrate.cli.init.ProjectSetup;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.policy.ConfigTrust;
import dev.safemigrate.testing.TestConfigHome;

/** The check before each write, against real files and the real key folder; no database is reached. */
class ConfigApprovalTest {

    private static final String SECRET = "pw-from-dotenv-5521";
    private static final String TOML = """
            [dev]
            url = "jdbc:postgresql://localhost:1/app_dev"
            user = "app"
            password = "${dotenv:.env.local:PW}"
            """;

    @TempDir
    Path root;

    private final ConfigLoader loader = new ConfigLoader(name -> null, TestConfigHome.dir());

    private Config write(String toml) throws Exception {
        Files.writeString(root.resolve(".env.local"), "PW=" + SECRET + "\n");
        Files.writeString(root.resolve("safemigrate.toml"), toml);
        return loader.load(null, root);
    }

    private static void approve(Config c) throws Exception {
        TrustRecord.of(c, "alice", Instant.parse("2026-11-25T12:00:00Z")).write(c);
    }

    private ConfigApproval serving(Config c) {
        return new ConfigApproval(c, () -> loader.fromFile(c.source()));
    }

    @Test
    void theFileInitWritesIsTheBuiltInDefaultsAndNeedsNoApproval() throws Exception {
        Path jar = Files.writeString(root.resolve("fake.jar"), "x");
        for (PlannedFile f : ProjectSetup.plan(root, jar)) {
            if (f.path().getFileName().toString().equals(ConfigLoader.FILE_NAME)) {
                ProjectSetup.write(f);
            }
        }
        Config c = loader.load(null, root);
        assertFalse(c.isEmbeddedDefault());
        assertInstanceOf(ConfigTrust.NotNeeded.class, serving(c).check());
        assertInstanceOf(ConfigTrust.NotNeeded.class, new ConfigApproval(loader.embeddedDefault(root), null).check());
    }

    @Test
    void aWriteIsRefusedNamingEachChangeWithSecretsAsTheirReferenceOnly() throws Exception {
        Config approved = write(TOML);
        approve(approved);
        serving(approved).requireForWrite("apply_to_dev");

        Config edited = write(TOML.replace("user = \"app\"", "user = \"postgres\"") + "[policy]\ndeny_patterns = []\n");
        ToolException e = assertThrows(ToolException.class, () -> serving(edited).requireForWrite("apply_to_dev"));
        assertEquals(ToolError.CONFIG_NOT_TRUSTED, e.error().code());
        String message = e.error().message();
        assertTrue(message.contains("dev.user: app → postgres"), message);
        assertTrue(message.contains("policy.deny_patterns: [\"prod\",\"production\",\"live\"] → []"), message);
        assertTrue(message.contains("alice approved at 2026-11-25T12:00:00Z"), message);
        assertTrue(e.error().hint().contains("safemigrate trust --config " + edited.source()), e.error().hint());
        assertFalse((message + e.error().hint()).contains(SECRET));

        Files.writeString(root.resolve(".env.other"), "PW=" + SECRET + "-2\n");
        Config newPassword = write(TOML.replace("${dotenv:.env.local:PW}", "${dotenv:.env.other:PW}"));
        String m = assertThrows(ToolException.class, () -> serving(newPassword).requireForWrite("backup")).error().message();
        assertTrue(m.contains("dev.password: ${dotenv:.env.local:PW} → ${dotenv:.env.other:PW}"), m);
        assertFalse(m.contains(SECRET), m);
        assertTrue(newPassword.secrets().contains(SECRET + "-2"));
    }

    @Test
    void anEditAfterTheServerStartedIsRefusedAtOnceAndAFileThatNoLongerLoadsToo() throws Exception {
        Config running = write(TOML);
        approve(running);
        ConfigApproval approval = serving(running);
        Files.writeString(root.resolve("safemigrate.toml"), TOML + "[policy]\nallow_privileged_role = true\n");
        ConfigTrust t = approval.check();
        assertEquals(java.util.List.of("policy.allow_privileged_role"), t.changedSettings());
        assertTrue(t.note().contains("edited after this server started"), t.note());
        assertThrows(ToolException.class, () -> approval.requireForWrite("apply_to_dev"));

        Files.writeString(root.resolve("safemigrate.toml"), TOML + "[policy]\nallow_privileged = true\n");
        assertTrue(approval.check().note().contains("no longer loads"), approval.check().note());

        Files.writeString(root.resolve("safemigrate.toml"), TOML);
        assertInstanceOf(ConfigTrust.Trusted.class, approval.check(), "put back as approved");
        assertInstanceOf(ConfigTrust.Trusted.class, new ConfigApproval(running, null).check());
    }

    @Test
    void deletingAnApprovedFileIsAChangeNotTheDefault() throws Exception {
        Config strict = write(TOML.replace("[dev]\nurl = \"jdbc:postgresql://localhost:1/app_dev\"\nuser = \"app\"\n"
                + "password = \"${dotenv:.env.local:PW}\"\n", "[dev]\nembedded = true\n[policy]\ndestructive = \"refuse\"\n"));
        approve(strict);
        Files.delete(root.resolve("safemigrate.toml"));
        Config none = loader.load(null, root);
        assertTrue(none.isEmbeddedDefault());
        ToolException e = assertThrows(ToolException.class, () -> new ConfigApproval(none, null).requireForWrite("apply_to_dev"));
        assertTrue(e.error().message().contains("policy.destructive: refuse → confirm"), e.error().message());
        assertTrue(e.error().hint().contains("safemigrate trust (in " + root + ")"), e.error().hint());
    }

    @Test
    void aRecordEditedByHandApprovesNothing() throws Exception {
        Config c = write(TOML);
        approve(c);
        Path record = TrustRecord.file(c);
        Files.writeString(record, Files.readString(record).replace("\"approved_by\" : \"alice\"", "\"approved_by\" : \"bob\"")
                .replace("localhost:1/app_dev", "localhost:1/app_prod"));
        ConfigTrust t = new ConfigApproval(c, null).check();
        assertInstanceOf(ConfigTrust.NeverTrusted.class, t);
        assertTrue(t.note().contains("does not match its digest"), t.note());
    }
}
