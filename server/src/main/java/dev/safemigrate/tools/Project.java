package dev.safemigrate.tools;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantLock;

import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.backup.BackupStore;
import dev.safemigrate.backup.PgDump;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DatabaseSource;
import dev.safemigrate.db.EmbeddedDatabase;
import dev.safemigrate.db.KeptConnection;
import dev.safemigrate.migrations.FlywayEngine;
import dev.safemigrate.migrations.MigrationHistory;
import dev.safemigrate.migrations.MigrationLayout;
import dev.safemigrate.policy.DevDatabasePolicy;

/**
 * One project's configuration and the things built from it, shared by the five tools. Nothing
 * here touches the database or loads Flyway until a tool asks.
 */
public final class Project implements AutoCloseable {

    private final Config config;
    private final DatabaseSource database;
    private final MigrationLayout migrations;
    private final BackupStore backups;
    private final PgDump pgDump;
    /** Made on first use: its rules and parser are not needed before the first tool call. */
    private MigrationAnalyzer analyzer;
    private final DevDatabasePolicy devPolicy;
    private final ConfigApproval approval;
    /** One writing tool at a time: two applies racing would each see the other's work as pending. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private FlywayEngine flyway;
    private Clock clock = Clock.systemUTC();
    private byte[] confirmationKey;
    private ConnectionSettings flywaySettings;
    /** The connection status keeps between calls ({@link ProvenConnection#openKept}). */
    private final KeptConnection keptConnection = new KeptConnection();
    /** What Flyway said last, for status and apply_to_dev alike. */
    private final FlywayAnswers flywayAnswers = new FlywayAnswers();
    /** The schema against the record of it after the last apply, for status and apply_to_dev alike. */
    private final DriftWatch drift;

    public Project(Config config, DatabaseSource database) {
        this(config, database, null);
    }

    /**
     * @param reread reads the configuration file again as it was read at start (the server, before each write
     *               and status, to see an edit at once rather than at the next start); null to check the
     *               approval of the configuration as loaded only
     */
    public Project(Config config, DatabaseSource database, Supplier<Config> reread) {
        this.config = config;
        this.database = database;
        this.migrations = MigrationLayout.of(config.migrations());
        this.backups = new BackupStore(config.backup().dir(), config.backup().keep());
        this.pgDump = new PgDump(config.backup().pgDump());
        this.devPolicy = new DevDatabasePolicy(config.policy(), config.dev().expectDatabase());
        this.approval = new ConfigApproval(config, reread);
        this.drift = new DriftWatch(config.keys(), config.dev().embedded(), System.err);
    }

    public static Project open(Config config) {
        return open(config, null);
    }

    /** @param loader what the configuration was read with: the file is read again with it before each write */
    public static Project open(Config config, ConfigLoader loader) {
        DatabaseSource source = config.dev().embedded()
                ? new EmbeddedDatabase(config.projectRoot().resolve(Config.STATE_DIR).resolve("pgdata"))
                : DatabaseSource.configured(new ConnectionSettings(config.dev().url(), config.dev().user(),
                        config.dev().password()));
        return new Project(config, source, loader == null || config.source() == null ? null
                : () -> loader.fromFile(config.source()));
    }

    /** A path as agents and people see it: relative to the project root, with forward slashes. */
    public String relative(java.nio.file.Path file) {
        return config.projectRoot().relativize(file).toString().replace('\\', '/');
    }

    /**
     * The development database's name as configured (never as the database reports it): what the
     * analysis compares statements about a DATABASE with before any connection is made.
     */
    public String devDatabaseName() {
        if (config.dev().expectDatabase() != null) {
            return config.dev().expectDatabase();
        }
        return config.dev().embedded() ? EmbeddedDatabase.DATABASE
                : new ConnectionSettings(config.dev().url(), config.dev().user(), null).database();
    }

    public Config config() {
        return config;
    }

    public DatabaseSource database() {
        return database;
    }

    public MigrationLayout migrations() {
        return migrations;
    }

    public BackupStore backups() {
        return backups;
    }

    public PgDump pgDump() {
        return pgDump;
    }

    public synchronized MigrationAnalyzer analyzer() {
        if (analyzer == null) {
            analyzer = new MigrationAnalyzer();
        }
        return analyzer;
    }

    /** Whether a person approved the settings this project runs with ({@code safemigrate trust}). */
    public ConfigApproval approval() {
        return approval;
    }

    public DevDatabasePolicy devPolicy() {
        return devPolicy;
    }

    public ReentrantLock writeLock() {
        return writeLock;
    }

    public Clock clock() {
        return clock;
    }

    /** For tests of token expiry: the server otherwise runs on the system clock. */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    synchronized byte[] confirmationKey() {
        if (confirmationKey == null) {
            confirmationKey = InstallationSecret.load(config.keys(), config.projectRoot(), System.err);
        }
        return confirmationKey;
    }

    public synchronized FlywayEngine flyway(ConnectionSettings settings) {
        if (flyway == null || !settings.equals(flywaySettings)) {
            flyway = new FlywayEngine(settings.url(), settings.user(), settings.password(),
                    config.policy().lockTimeout(), config.policy().statementTimeout());
            flywaySettings = settings;
        }
        return flyway;
    }

    /** The layout's history of the development database, with Flyway executing: what status, show_sql and apply read. */
    public MigrationHistory history(ConnectionSettings settings) {
        return migrations.history(flyway(settings));
    }

    KeptConnection keptConnection() {
        return keptConnection;
    }

    FlywayAnswers flywayAnswers() {
        return flywayAnswers;
    }

    DriftWatch drift() {
        return drift;
    }

    @Override
    public void close() {
        keptConnection.close();
        database.close();
    }
}
