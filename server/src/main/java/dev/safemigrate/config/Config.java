package dev.safemigrate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything safemigrate.toml says, validated and with every secret reference resolved.
 * Paths are absolute: relative paths in the file are resolved against the file's folder.
 *
 * @param projectRoot the folder relative paths are resolved against
 * @param source      the file this came from, or {@code null} for the embedded default
 * @param keyDir      this project's folder outside the project (see {@link KeyFolder}): token key, audit key
 * @param secrets     every secret value this configuration resolved: the [dev] password, values of
 *                    ${env:…}/${dotenv:…} references, password parameters of the URL. Never to be shown.
 * @param written     {@code dev.url}, {@code dev.user} and {@code dev.password} as the file writes them, references
 *                    unresolved (a key the file leaves out is absent): what a person approves is the reference,
 *                    never the secret it resolves to ({@link PolicySettings})
 */
public record Config(Path projectRoot, Path source, Migrations migrations, Dev dev, Policy policy,
                     Backup backup, Audit audit, Path keyDir, Set<String> secrets, Map<String, String> written) {

    public Config {
        secrets = Set.copyOf(secrets);
        written = Map.copyOf(written);
    }

    public enum Versioning { TIMESTAMP, SEQUENCE }

    public enum DestructiveMode { REFUSE, CONFIRM, HUMAN }

    public enum BackupBeforeApply { ALWAYS, DESTRUCTIVE, NEVER }

    /**
     * Where the migrations live and which tool's history the database keeps: safemigrate's own
     * Flyway folder, or the one the team's migration tool already has (its files stay where they are,
     * its history table records what safemigrate applies).
     */
    public enum Layout { FLYWAY, PRISMA }

    public record Migrations(Path dir, Versioning versioning, Layout layout) {
        public Migrations(Path dir, Versioning versioning) {
            this(dir, versioning, Layout.FLYWAY);
        }
    }

    /** The one development database. Never printed with its password. */
    public record Dev(String url, String user, String password, String expectDatabase, boolean embedded) {
        @Override
        public String toString() {
            return "Dev[url=" + Redactor.withoutParameters(url) + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                    + ", expectDatabase=" + expectDatabase + ", embedded=" + embedded + "]";
        }
    }

    /**
     * @param allowPrivilegedRole a person's explicit opt-in to connect as a role with powers beyond
     *                            its own database (superuser, CREATEROLE, server files …); off by default
     */
    public record Policy(List<String> allowHosts, List<String> denyPatterns, DestructiveMode destructive,
                         BackupBeforeApply backupBeforeApply, Duration lockTimeout, Duration statementTimeout,
                         boolean allowPrivilegedRole) {
        public Policy {
            allowHosts = List.copyOf(allowHosts);
            denyPatterns = List.copyOf(denyPatterns);
        }

        public Policy(List<String> allowHosts, List<String> denyPatterns, DestructiveMode destructive,
                      BackupBeforeApply backupBeforeApply, Duration lockTimeout, Duration statementTimeout) {
            this(allowHosts, denyPatterns, destructive, backupBeforeApply, lockTimeout, statementTimeout, false);
        }
    }

    public record Backup(Path dir, int keep, String pgDump) {}

    public record Audit(Path log) {}

    /** Where a file-less run keeps its state: the embedded database, backups and the audit log. */
    public static final String STATE_DIR = ".safemigrate";

    public KeyFolder keys() {
        return new KeyFolder(keyDir);
    }

    /** Cuts every resolved secret out of text leaving the server. */
    public Redactor redactor() {
        return new Redactor(secrets);
    }

    /** What of this configuration a person approves before the server writes with it ({@code safemigrate trust}). */
    public PolicySettings policySettings() {
        return PolicySettings.of(this);
    }

    public boolean isEmbeddedDefault() {
        return source == null;
    }
}
