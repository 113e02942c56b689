package dev.safemigrate.migrations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

import dev.safemigrate.config.DurationSetting;

/**
 * Flyway, used as a library, configured the way safemigrate allows it to run: clean disabled,
 * validation on migrate, no out-of-order, no baseline, the policy's lock and statement timeouts on
 * every connection it opens — and migrations only from an in-memory {@link MigrationSnapshot},
 * never from the disk, so Flyway runs exactly the bytes that were analysed. Flyway is loaded on
 * first use: that costs about a second, which must never delay the MCP handshake.
 */
public final class FlywayEngine implements MigrationHistory {

    private final String url;
    private final String user;
    private final String password;

    public FlywayEngine(String url, String user, String password, Duration lockTimeout, Duration statementTimeout) {
        // pgjdbc's options parameter sets the timeouts on every connection Flyway opens, before any SQL runs
        this.url = url + (url.contains("?") ? "&" : "?") + "options=" + java.net.URLEncoder.encode(
                "-c lock_timeout=" + DurationSetting.toPostgres(lockTimeout) + " -c statement_timeout="
                        + DurationSetting.toPostgres(statementTimeout), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        this.user = user;
        this.password = password;
    }

    /** Told after each migration Flyway applies: version, description, execution time. */
    public interface Progress {
        void migrated(String version, String description);
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration configure(MigrationSnapshot snapshot) {
        return Flyway.configure(getClass().getClassLoader())
                .loggers("slf4j")
                .dataSource(url, user, password)
                // both providers set: Flyway creates no scanner, reads no location, loads no Java migration,
                // and finds no script migration (.sh, .py …) or callback script — only the snapshot's files
                .resourceProvider(new SnapshotResources(snapshot))
                .javaMigrationClassProvider(java.util.List::of)
                .cleanDisabled(true)
                .validateOnMigrate(true)
                .outOfOrder(false)
                .baselineOnMigrate(false)
                .validateMigrationNaming(true)
                // pending files are the normal state between create_migration and apply_to_dev
                .ignoreMigrationPatterns("*:pending", "*:future")
                // what runs must be exactly what was analysed: no ${placeholder} rewriting, and no SQL
                // callback scripts (afterMigrate.sql …) that would run beside the migrations unanalysed
                .placeholderReplacement(false)
                .skipDefaultCallbacks(true)
                // Flyway's default transactional advisory lock keeps a transaction open on a second
                // connection, which CREATE INDEX CONCURRENTLY waits for: a deadlock until lock_timeout
                // (flyway/flyway#3497, #3682). The session-level lock has no open transaction.
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"));
    }

    /**
     * Loads Flyway as {@link #info} and {@link #migrate} configure it (its classes, its plugins, one for each
     * database it supports), with no migration and without connecting: {@code load()} opens no connection, the
     * commands do. What the first call of a process would otherwise wait for, done while the server is idle.
     */
    public static void loadWithoutConnecting() {
        new FlywayEngine("jdbc:postgresql://localhost/safemigrate_warmup", "warmup", null, Duration.ofSeconds(1),
                Duration.ofSeconds(1)).configure(new MigrationSnapshot(java.nio.file.Path.of(""), List.of(), List.of())).load();
    }

    /** Every migration of the snapshot and of the history, joined by Flyway's version, in Flyway's order. */
    @Override
    public List<Migration> info(MigrationSnapshot snapshot) {
        List<Migration> out = new ArrayList<>();
        for (MigrationInfo i : configure(snapshot).load().info().all()) {
            if (!i.isVersioned()) {
                continue;
            }
            MigrationState state = MigrationState.of(i.getState(),
                    snapshot.byVersion(i.getVersion().getVersion()).isPresent());
            // the baseline row is a marker, not a file; the files it covers (BELOW_BASELINE) are recorded by it
            boolean marker = i.getState() == org.flywaydb.core.api.MigrationState.BASELINE;
            boolean coveredByBaseline = i.getState() == org.flywaydb.core.api.MigrationState.BELOW_BASELINE;
            out.add(new Migration(i.getVersion(), i.getDescription(), String.valueOf(i.getType()), state,
                    state == MigrationState.MISSING || marker ? java.util.Optional.empty()
                            : snapshot.byVersion(i.getVersion().getVersion()),
                    i.getChecksum(), i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant(),
                    i.getExecutionTime(), i.getInstalledRank() != null || coveredByBaseline));
        }
        return out;
    }

    /** @return why Flyway would refuse to migrate this snapshot; empty when it would not */
    @Override
    public List<ValidationProblem> validate(MigrationSnapshot snapshot) {
        ValidateResult result = configure(snapshot).load().validateWithResult();
        List<ValidationProblem> problems = new ArrayList<>();
        if (result.validationSuccessful) {
            return problems;
        }
        for (ValidateOutput o : result.invalidMigrations) {
            problems.add(ValidationProblem.of(o.version, o.description, o.errorDetails == null ? null : o.errorDetails.errorCode,
                    o.errorDetails == null ? null : o.errorDetails.errorMessage));
        }
        if (problems.isEmpty()) {
            problems.add(ValidationProblem.of(null, null, result.errorDetails == null ? null : result.errorDetails.errorCode,
                    result.getAllErrorMessages()));
        }
        return problems;
    }

    /**
     * Records a baseline: creates {@code flyway_schema_history} with one row saying the schema is
     * at {@code version}, so the snapshot's migrations up to it never run and the ones above it are
     * pending. A person decides this at a terminal ({@code safemigrate baseline}); no tool calls it.
     * Flyway itself refuses when the history already holds migrations.
     */
    public String baseline(MigrationSnapshot snapshot, String version, String description) {
        return configure(snapshot).baselineVersion(version).baselineDescription(description).load().baseline()
                .baselineVersion;
    }

    /** Applies the snapshot's pending migrations up to {@code target} (all when null). Throws FlywayException on failure. */
    @Override
    public List<AppliedMigration> migrate(MigrationSnapshot snapshot, String target, Progress progress) {
        MigrateResult result = configure(snapshot).target(target == null ? "latest" : target)
                .callbacks(new ProgressCallback(progress)).load().migrate();
        List<AppliedMigration> applied = new ArrayList<>();
        for (MigrateOutput o : result.migrations) {
            applied.add(new AppliedMigration(o.version, o.description, o.filepath, o.executionTime));
        }
        return applied;
    }
    /**
     * Runs every migration of {@code run} on a history of its own: {@code table}, which Flyway creates
     * (with a baseline at version 0 when the schema is not empty) and the caller drops afterwards. For
     * a layout whose history is another tool's table ({@link PrismaHistory}): Flyway only executes,
     * {@code callbacks} record each migration in that table.
     */
    List<AppliedMigration> migrateOnce(MigrationSnapshot run, String table, Callback... callbacks) {
        MigrateResult result = configure(run).table(table).baselineOnMigrate(true).baselineVersion("0")
                .baselineDescription("safemigrate: a run of pending migrations").target("latest")
                .callbacks(callbacks).load().migrate();
        List<AppliedMigration> applied = new ArrayList<>();
        for (MigrateOutput o : result.migrations) {
            applied.add(new AppliedMigration(o.version, o.description, o.filepath, o.executionTime));
        }
        return applied;
    }

    /**
     * A connection as Flyway's are opened: the same URL, role and timeouts, the database's default
     * search_path. For reading and writing another tool's history beside Flyway's runs.
     */
    java.sql.Connection openConnection() throws java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "safemigrate");
        props.setProperty("connectTimeout", "10");
        java.sql.Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new java.sql.SQLException("not a PostgreSQL JDBC URL");
        }
        return c;
    }

    private record ProgressCallback(Progress progress) implements Callback {
        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            MigrationInfo info = context.getMigrationInfo();
            progress.migrated(info.getVersion() == null ? "" : info.getVersion().getVersion(), info.getDescription());
        }

        @Override
        public String getCallbackName() {
            return "safemigrate-progress";
        }
    }
}
