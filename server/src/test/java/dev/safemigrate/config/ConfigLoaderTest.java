package dev.safemigrate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Config load(String toml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("safemigrate.toml"), toml);
        return new ConfigLoader(env::get).load(null, dir);
    }

    private ConfigException fails(String toml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("safemigrate.toml"), toml);
        return assertThrows(ConfigException.class, () -> new ConfigLoader(env::get).load(null, dir));
    }

    @Test
    void noFileMeansEmbeddedDefaultUnderDotSafemigrate() {
        Config c = new ConfigLoader(n -> null).load(null, dir);
        assertTrue(c.isEmbeddedDefault());
        assertTrue(c.dev().embedded());
        assertEquals(dir.resolve("db/migrations"), c.migrations().dir());
        assertEquals(dir.resolve(".safemigrate/backups"), c.backup().dir());
        assertEquals(dir.resolve(".safemigrate/audit.jsonl"), c.audit().log());
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), c.policy().allowHosts());
        assertEquals(List.of("prod", "production", "live"), c.policy().denyPatterns());
        assertEquals(Config.DestructiveMode.CONFIRM, c.policy().destructive());
        assertEquals(Config.BackupBeforeApply.DESTRUCTIVE, c.policy().backupBeforeApply());
    }

    @Test
    void readsEverySectionWithPathsRelativeToTheFile() throws IOException {
        Config c = load("""
                [migrations]
                dir = "sql/migrations"
                versioning = "sequence"
                [dev]
                url = "jdbc:postgresql://localhost:5433/app_dev"
                user = "app"
                password = "${env:DEV_DB_PASSWORD}"
                expect_database = "app_dev"
                [policy]
                allow_hosts = ["LocalHost", "db.dev"]
                deny_patterns = ["prod"]
                destructive = "human"
                backup_before_apply = "always"
                lock_timeout = "2s"
                statement_timeout = "1h"
                [backup]
                dir = "backups"
                keep = 5
                pg_dump = "/usr/lib/postgresql/15/bin/pg_dump"
                [audit]
                log = "audit/log.jsonl"
                """, Map.of("DEV_DB_PASSWORD", "s3cret"));
        assertEquals(dir.resolve("sql/migrations"), c.migrations().dir());
        assertEquals(Config.Versioning.SEQUENCE, c.migrations().versioning());
        assertEquals("s3cret", c.dev().password());
        assertEquals("app_dev", c.dev().expectDatabase());
        assertEquals(List.of("localhost", "db.dev"), c.policy().allowHosts());
        assertEquals(Config.DestructiveMode.HUMAN, c.policy().destructive());
        assertEquals(Config.BackupBeforeApply.ALWAYS, c.policy().backupBeforeApply());
        assertEquals(Duration.ofSeconds(2), c.policy().lockTimeout());
        assertEquals(Duration.ofHours(1), c.policy().statementTimeout());
        assertEquals(5, c.backup().keep());
        assertEquals(dir.resolve("audit/log.jsonl"), c.audit().log());
        assertFalse(c.dev().toString().contains("s3cret"), "the password never appears in toString");
    }

    @Test
    void unknownKeyIsAnErrorNamingKeyAndFile() throws IOException {
        ConfigException e = fails("[policy]\ndeny_paterns = [\"prod\"]\n", Map.of());
        assertTrue(e.getMessage().contains("policy.deny_paterns"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("safemigrate.toml").toString()), e.getMessage());
    }

    @Test
    void unknownSectionIsAnError() throws IOException {
        assertTrue(fails("[prod]\nurl = \"x\"\n", Map.of()).getMessage().contains("'prod'"));
    }

    @Test
    void unsetEnvironmentReferenceIsAnErrorNotAnEmptyString() throws IOException {
        ConfigException e = fails("[dev]\nurl = \"jdbc:postgresql://localhost/x\"\npassword = \"${env:NOPE}\"\n", Map.of());
        assertTrue(e.getMessage().contains("dev.password") && e.getMessage().contains("NOPE"), e.getMessage());
    }

    @Test
    void dotenvReferenceReadsTheNamedFileRelativeToTheConfig() throws IOException {
        Files.writeString(dir.resolve(".env.local"), "# comment\nexport DEV_DB_PASSWORD=\"from dotenv\"\nOTHER=1\n");
        Config c = load("[dev]\nurl = \"jdbc:postgresql://localhost/x\"\npassword = \"${dotenv:.env.local:DEV_DB_PASSWORD}\"\n", Map.of());
        assertEquals("from dotenv", c.dev().password());
    }

    @Test
    void dotenvReferenceToMissingFileOrNameIsAnError() throws IOException {
        assertTrue(fails("[dev]\nurl = \"jdbc:postgresql://localhost/x\"\npassword = \"${dotenv:.env.nope:P}\"\n", Map.of())
                .getMessage().contains(".env.nope"));
        Files.writeString(dir.resolve(".env"), "A=1\n");
        assertTrue(fails("[dev]\nurl = \"jdbc:postgresql://localhost/x\"\npassword = \"${dotenv:.env:P}\"\n", Map.of())
                .getMessage().contains("does not define it"));
    }

    @Test
    void theEnvironmentIsNeverReadImplicitly() throws IOException {
        ConfigException e = fails("[migrations]\ndir = \"db\"\n", Map.of("DATABASE_URL", "jdbc:postgresql://prod/x"));
        assertTrue(e.getMessage().contains("dev.url"), e.getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"preferQueryMode=simple", "preferQueryMode=extendedForPrepared",
            "ssl=false&PREFERQUERYMODE=Simple", "prefer%51ueryMode=simple", "preferQueryMode=%73imple"})
    void aQueryModeThatLetsTheServerRunSeveralStatementsAtOnceIsRefused(String params) throws IOException {
        ConfigException e = fails("[dev]\nurl = \"jdbc:postgresql://localhost/x?" + params + "\"\n", Map.of());
        assertTrue(e.getMessage().contains("'dev.url'") && e.getMessage().contains("simple queries")
                && e.getMessage().contains("remove the parameter"), e.getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "?preferQueryMode=extended",
            "?preferQueryMode=extendedCacheEverything", "?ApplicationName=simple"})
    void theExtendedProtocolIsAccepted(String params) throws IOException {
        assertEquals("jdbc:postgresql://localhost/x" + params,
                load("[dev]\nurl = \"jdbc:postgresql://localhost/x" + params + "\"\n", Map.of()).dev().url());
    }

    @Test
    void thePrismaLayoutKeepsPrismasFolderAndTimestamps() throws IOException {
        String dev = "[dev]\nurl = \"jdbc:postgresql://localhost/x\"\n";
        Config c = load("[migrations]\nlayout = \"prisma\"\n" + dev, Map.of());
        assertEquals(Config.Layout.PRISMA, c.migrations().layout());
        assertEquals(dir.resolve("prisma/migrations").toAbsolutePath().normalize(), c.migrations().dir());
        assertEquals(Config.Layout.FLYWAY, load(dev, Map.of()).migrations().layout());
        assertTrue(fails("[migrations]\nlayout = \"liquibase\"\n" + dev, Map.of()).getMessage().contains("flyway | prisma"));
        assertTrue(fails("[migrations]\nlayout = \"prisma\"\nversioning = \"sequence\"\n" + dev, Map.of()).getMessage()
                .contains("<timestamp>_<name>"));
    }

    @Test
    void badValuesNameTheAllowedOnes() throws IOException {
        String dev = "[dev]\nurl = \"jdbc:postgresql://localhost/x\"\n";
        assertTrue(fails(dev + "[policy]\ndestructive = \"yolo\"\n", Map.of()).getMessage().contains("refuse | confirm | human"));
        assertTrue(fails(dev + "[policy]\nlock_timeout = \"soon\"\n", Map.of()).getMessage().contains("policy.lock_timeout"));
        assertTrue(fails(dev + "[backup]\nkeep = 0\n", Map.of()).getMessage().contains("backup.keep"));
        assertTrue(fails("[dev]\nurl = \"mysql://localhost/x\"\n", Map.of()).getMessage().contains("jdbc:postgresql"));
        assertTrue(fails("[dev]\nurl = \"jdbc:postgresql://localhost/x\"\nembedded = true\n", Map.of()).getMessage()
                .contains("choose one"));
        assertTrue(fails("[dev\n", Map.of()).getMessage().contains("not valid TOML"));
    }

    @Test
    void explicitConfigPathMustExist() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(n -> null).load(Path.of("nope.toml"), dir));
        assertTrue(e.getMessage().contains("nope.toml"));
    }

    @Test
    void embeddedTrueInAFileUsesTheEmbeddedDatabase() throws IOException {
        Config c = load("[dev]\nembedded = true\n", Map.of());
        assertTrue(c.dev().embedded());
        assertNull(c.dev().url());
        assertFalse(c.isEmbeddedDefault());
    }
}
