package dev.safemigrate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person approves of a configuration, and the record of it: no database. */
class PolicySettingsTest {

    @TempDir
    Path dir;

    private Config load(String toml, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("safemigrate.toml"), toml);
        return new ConfigLoader(env::get, dir.resolve("home")).load(null, dir);
    }

    @Test
    void aFileHoldingTheDefaultsHasTheSettingsOfNoFileAtAll() throws Exception {
        PolicySettings none = new ConfigLoader(n -> null, dir.resolve("home")).load(null, dir).policySettings();
        assertEquals(ConfigLoader.builtInSettings(), none);
        assertEquals(none, load("[migrations]\ndir = \"db/migrations\"\nversioning = \"sequence\"\n\n[dev]\nembedded = true\n"
                + "\n[policy]\nlock_timeout = \"5000ms\"\n", Map.of()).policySettings(),
                "versioning decides no write; 5000ms is 5s");
        assertEquals("5s", none.get("policy.lock_timeout"));
        assertEquals("10min", none.get("policy.statement_timeout"));
        assertEquals("[\"localhost\",\"127.0.0.1\",\"::1\"]", none.get("policy.allow_hosts"));
        assertEquals(".safemigrate/backups", none.get("backup.dir"));
    }

    @Test
    void secretsAreTheirReferencesAndTheTargetIsWhatTheyResolveTo() throws Exception {
        Files.writeString(dir.resolve(".env.local"), "DEV_URL=jdbc:postgresql://db.dev.internal:6543/app_dev\n"
                + "DEV_DB_PASSWORD=hunter2-from-dotenv\n");
        Config c = load("""
                [dev]
                url = "${dotenv:.env.local:DEV_URL}"
                user = "${env:DEV_USER}"
                password = "${dotenv:.env.local:DEV_DB_PASSWORD}"
                """, Map.of("DEV_USER", "app"));
        PolicySettings s = c.policySettings();
        assertEquals("${dotenv:.env.local:DEV_URL}", s.get("dev.url"));
        assertEquals("[\"db.dev.internal\"]", s.get("dev.hosts"), "an .env file the agent can write moves the target visibly");
        assertEquals("6543", s.get("dev.port"));
        assertEquals("app_dev", s.get("dev.database"));
        assertEquals("app", s.get("dev.user"));
        assertEquals("${dotenv:.env.local:DEV_DB_PASSWORD}", s.get("dev.password"));
        for (String secret : c.secrets()) {
            assertFalse(s.values().toString().contains(secret), "no resolved secret in " + s);
        }
    }

    @Test
    void aLiteralPasswordIsNeverPartOfTheSettings() throws Exception {
        PolicySettings s = load("""
                [dev]
                url = "jdbc:postgresql://localhost/app_dev?sslpassword=key-pass-1&password=${env:PW}&ssl=true"
                user = "app"
                password = "literal-pass-2"
                """, Map.of("PW", "url-pass-3")).policySettings();
        assertEquals("jdbc:postgresql://localhost/app_dev?sslpassword=" + PolicySettings.LITERAL_SECRET
                + "&password=${env:PW}&ssl=true", s.get("dev.url"));
        assertEquals(PolicySettings.LITERAL_SECRET, s.get("dev.password"));
        assertFalse(s.values().toString().matches("(?s).*(key-pass-1|literal-pass-2|url-pass-3).*"), s.toString());
    }

    @Test
    void changesNameEachSettingWithItsApprovedAndItsNewValue() throws Exception {
        PolicySettings approved = load("[dev]\nurl = \"jdbc:postgresql://localhost/app_dev\"\nuser = \"app\"\n", Map.of())
                .policySettings();
        PolicySettings now = load("""
                [dev]
                url = "jdbc:postgresql://db.prod.internal/app"
                user = "app"
                [policy]
                allow_hosts = ["localhost", "db.prod.internal"]
                deny_patterns = []
                """, Map.of()).policySettings();
        List<SettingChange> changes = now.changesFrom(approved);
        assertEquals(List.of("dev.url", "dev.hosts", "dev.database", "policy.allow_hosts", "policy.deny_patterns"),
                changes.stream().map(SettingChange::setting).toList());
        assertEquals("policy.deny_patterns: [\"prod\",\"production\",\"live\"] → []", changes.get(4).describe(100));
        assertEquals(List.of(), now.changesFrom(now));
        assertNotEquals(approved.digest(), now.digest());
    }

    @Test
    void nothingTheAgentWritesCanReachTheTerminalAsAnEscapeSequence() {
        assertEquals("localhost\\u001b[2K\\u000dok \\u202eevil", PolicySettings.printable("localhost\u001b[2K\rok \u202eevil"));
        assertEquals("zero\\u200bwidth", PolicySettings.printable("zero\u200bwidth"));
        assertEquals("x: \\u0007 → b… (3 more characters)", new SettingChange("x", "\u0007", "bcde").describe(1));
    }

    @Test
    void theRecordHoldsTheSettingsOwnerOnlyOutsideTheProjectAndAnEditedOneApprovesNothing() throws Exception {
        Config c = load("[dev]\nurl = \"jdbc:postgresql://localhost/app_dev\"\nuser = \"app\"\n", Map.of());
        assertTrue(TrustRecord.read(c).isEmpty());
        TrustRecord.of(c, "alice", Instant.parse("2026-11-25T12:00:00Z")).write(c);
        TrustRecord read = TrustRecord.read(c).orElseThrow();
        assertEquals(c.policySettings(), read.settings());
        assertEquals("alice", read.approvedBy());
        assertEquals(c.source().toString(), read.configFile());
        Path file = TrustRecord.file(c);
        assertEquals(c.keyDir().resolve("approved-safemigrate.toml.json"), file);
        assertFalse(file.startsWith(dir.resolve("safemigrate.toml").getParent().resolve(".safemigrate")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains("\"digest\" : \"" + c.policySettings().digest() + "\""),
                Files.readString(file));

        Files.writeString(file, Files.readString(file).replace("\"[\\\"localhost\\\",", "\"[\\\"db.prod\\\",\\\"localhost\\\","));
        ConfigException edited = assertThrows(ConfigException.class, () -> TrustRecord.read(c));
        assertTrue(edited.getMessage().contains("does not match its digest"), edited.getMessage());
        Files.writeString(file, "{ not json");
        assertTrue(assertThrows(ConfigException.class, () -> TrustRecord.read(c)).getMessage().contains("damaged"));
    }

    @Test
    void theDigestDoesNotDependOnOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("dev.embedded", "true");
        a.put("audit.log", "x");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("audit.log", "x");
        b.put("dev.embedded", "true");
        assertEquals(new PolicySettings(a).digest(), new PolicySettings(b).digest());
        assertThrows(IllegalArgumentException.class, () -> new PolicySettings(Map.of("policy.allow_everything", "true")));
    }
}
