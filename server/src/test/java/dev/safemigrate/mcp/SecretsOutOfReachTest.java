package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.policy.ConfirmationToken;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestConfigHome;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The attacks of a hostile agent on the secrets around the server: minting its own confirmation
 * token from a key it can read, and making PostgreSQL quote the database password back to it.
 */
class SecretsOutOfReachTest {

    private static final String PASSWORD = "s3cr3t-Pa55word";

    @TempDir
    Path root;

    private String database;

    private Config project(String urlSuffix) throws Exception {
        database = TestDatabase.create("secrets");
        Files.writeString(root.resolve(".env.local"), "DEV_DB_PASSWORD=" + PASSWORD + "\n");
        Files.writeString(root.resolve("safemigrate.toml"), """
                [dev]
                url = "%s%s"
                user = "%s"
                password = "${dotenv:.env.local:DEV_DB_PASSWORD}"
                """.formatted(TestDatabase.url(database), urlSuffix, TestDatabase.APP_ROLE));
        return ProjectDir.approve(new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root));
    }

    @Test
    void theConfirmationKeyLivesOutsideTheProjectOwnerOnly() throws Exception {
        Config config = project("");
        try (InProcessServer s = InProcessServer.start(config)) {
            call(s.client, "create_migration", "name", "t", "sql", "create table t (id int);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            TestDatabase.execute(database, "insert into t values (1)");   // data at risk here, so the gate asks
            call(s.client, "create_migration", "name", "drop_t", "sql", "drop table t;");
            assertEquals("CONFIRMATION_REQUIRED", call(s.client, "apply_to_dev").errorCode());
        }
        Path key = config.keyDir().resolve("confirmation.key");
        assertTrue(Files.isRegularFile(key), "created on first use: " + key);
        assertFalse(key.toRealPath().startsWith(root.toRealPath()), "outside the project folder: " + key);
        assertTrue(key.startsWith(TestConfigHome.dir().resolve("safemigrate")), key.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.keyDir())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                config.keyDir().resolve("audit.key"))));
        assertFalse(Files.exists(root.resolve(".safemigrate/secret")), "nothing secret is written into the project");
    }

    @Test
    void aTokenMintedWithTheOldInProjectSecretIsRefused() throws Exception {
        // the attack: the agent plants (or reads) .safemigrate/secret and signs its own token
        byte[] agentKey = new byte[32];
        Files.createDirectories(root.resolve(".safemigrate"));
        Files.writeString(root.resolve(".safemigrate/secret"), HexFormat.of().formatHex(agentKey));
        Config config = project("");
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (InProcessServer s = InProcessServer.start(config)) {
            call(s.client, "create_migration", "name", "t", "sql", "create table t (id int);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            TestDatabase.execute(database, "insert into t values (1)");   // data at risk here, so the gate asks
            call(s.client, "create_migration", "name", "drop_t", "sql", "drop table t;");
            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            ConfirmationToken.Subject subject = subjectOf(call(s.client, "status"), refused);

            String forged = ConfirmationToken.issue(agentKey, subject, Instant.now());
            Result withForged = call(s.client, "apply_to_dev", "confirm", forged);
            assertEquals("CONFIRMATION_REQUIRED", withForged.errorCode(), withForged.toString());
            assertTrue(TestDatabase.tableExists(database, "t"), "the forged token dropped nothing");

            // the same subject signed with the real key works: the forgery above was faithful
            byte[] realKey = HexFormat.of().parseHex(Files.readString(config.keyDir().resolve("confirmation.key")).strip());
            Result genuine = call(s.client, "apply_to_dev", "confirm", ConfirmationToken.issue(realKey, subject, Instant.now()));
            assertFalse(genuine.isError(), genuine.toString());
            assertFalse(TestDatabase.tableExists(database, "t"));
        } finally {
            System.setErr(realErr);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains("ignoring") && stderr.contains(".safemigrate/secret"), "said on stderr: " + stderr);
    }

    @Test
    void aPasswordQuotedBackByPostgresqlNeverReachesTheAgentOrTheAuditLog() throws Exception {
        Config config = project("");
        try (InProcessServer s = InProcessServer.start(config)) {
            Result created = call(s.client, "create_migration", "name", "leak", "sql",
                    "select '" + PASSWORD + "'::int;");
            Result dryRun = call(s.client, "apply_to_dev", "dry_run", true);
            Result shown = call(s.client, "show_sql", "pending", true);
            Result apply = call(s.client, "apply_to_dev");
            for (Result r : List.of(created, dryRun, shown, apply)) {
                assertFalse(r.structured().toString().contains(PASSWORD), r.structured().toString());
                assertFalse(r.text().contains(PASSWORD), r.text());
            }
            assertTrue(dryRun.isError() || dryRun.structured().toString().contains("invalid input syntax"),
                    dryRun.toString());
            assertTrue(dryRun.structured().toString().contains("invalid input syntax for type integer: \"[redacted]\""),
                    "PostgreSQL's error reaches the agent, without the password: " + dryRun.structured());
        }
        String audit = Files.readString(config.audit().log());
        assertFalse(audit.contains(PASSWORD), audit);
        assertTrue(audit.contains("[redacted]"), audit);
    }

    @Test
    void urlParametersAreNeverEchoed() throws Exception {
        Files.writeString(root.resolve("safemigrate.toml"), """
                [dev]
                url = "jdbc:postgresql://localhost:1/nothing_here?sslpassword=keyfile-pass-1&password=url-pass-2"
                user = "postgres"
                """);
        Config config = new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root);
        try (InProcessServer s = InProcessServer.start(config)) {
            Result status = call(s.client, "status");
            assertEquals("DATABASE_UNREACHABLE", status.errorCode(), status.toString());
            String all = status.structured() + status.text();
            assertTrue(all.contains("localhost:1/nothing_here"), "the URL is still described: " + all);
            assertFalse(all.contains("keyfile-pass-1") || all.contains("url-pass-2"), all);
        }
        String audit = Files.readString(config.audit().log());
        assertFalse(audit.contains("keyfile-pass-1") || audit.contains("url-pass-2"), audit);
    }

    /** What the agent can learn from status, the files and the refusal: each pending version and sha256, each at-risk id. */
    @SuppressWarnings("unchecked")
    private ConfirmationToken.Subject subjectOf(Result status, Result refused) {
        dev.safemigrate.migrations.MigrationSnapshot files;
        try {
            files = dev.safemigrate.migrations.MigrationSnapshot.read(root.resolve("db/migrations"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> migrations = ((List<Map<String, Object>>) status.get("migrations")).stream()
                .filter(m -> "pending".equals(m.get("state")))
                .map(m -> ConfirmationToken.Subject.migration((String) m.get("version"),
                        files.byVersion((String) m.get("version")).orElseThrow().sha256()))
                .toList();
        List<String> atRisk = refused.list("at_risk").stream().map(a -> (String) a.get("id")).toList();
        return new ConfirmationToken.Subject(migrations, atRisk);
    }
}
