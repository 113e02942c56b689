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
 * Flyway, used as a library, configured once the way safemigrate allows it to run: clean
 * disabled, validation on migrate, no out-of-order, no baseline, and the policy's lock and
 * statement timeouts on every connection it opens. Built on first use: loading Flyway costs
 * about a second, which must never delay the MCP handshake.
 */
public final class FlywayEngine {

    private final String url;
    private final String user;
    private final String password;
    private final String location;
    private final java.nio.file.Path dir;
    private Flyway flyway;

    public FlywayEngine(String url, String user, String password, java.nio.file.Path dir, Duration lockTimeout,
                        Duration statementTimeout) {
        // pgjdbc's options parameter sets the timeouts on every connection Flyway opens, before any SQL runs
        this.url = url + (url.contains("?") ? "&" : "?") + "options=" + java.net.URLEncoder.encode(
                "-c lock_timeout=" + DurationSetting.toPostgres(lockTimeout) + " -c statement_timeout="
                        + DurationSetting.toPostgres(statementTimeout), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        this.user = user;
        this.password = password;
        this.location = "filesystem:" + dir.toAbsolutePath();
        this.dir = dir;
    }

    /** Told after each migration Flyway applies: version, description, execution time. */
    public interface Progress {
        void migrated(String version, String description);
    }

    private void createFolder() {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new org.flywaydb.core.api.FlywayException("cannot create the migrations folder " + dir + ": " + e.getMessage());
        }
    }

    private synchronized Flyway flyway() {
        if (flyway == null) {
            flyway = configure().load();
        }
        return flyway;
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration configure() {
        createFolder();
        return Flyway.configure(getClass().getClassLoader())
                .loggers("slf4j")
                .dataSource(url, user, password)
                .locations(location)
                .failOnMissingLocations(false)
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

    public List<MigrationState> info() {
        List<MigrationState> out = new ArrayList<>();
        for (MigrationInfo i : flyway().info().all()) {
            if (!i.isVersioned()) {
                continue;
            }
            out.add(new MigrationState(i.getVersion().getVersion(), i.getDescription(), String.valueOf(i.getType()),
                    stateName(i), i.getChecksum(),
                    i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant(),
                    i.getExecutionTime(), i.getScript()));
        }
        return out;
    }

    /** @return Flyway's validation problems, one line each; empty when valid */
    public List<String> validate() {
        ValidateResult result = flyway().validateWithResult();
        List<String> problems = new ArrayList<>();
        if (result.validationSuccessful) {
            return problems;
        }
        for (ValidateOutput o : result.invalidMigrations) {
            String detail = o.errorDetails == null ? "invalid" : o.errorDetails.errorMessage;
            problems.add((o.version == null || o.version.isEmpty() ? "" : "V" + o.version + ": ") + detail);
        }
        if (problems.isEmpty()) {
            problems.add(result.getAllErrorMessages());
        }
        return problems;
    }

    /** Applies pending migrations up to {@code target} (all when null). Throws FlywayException on failure. */
    public List<AppliedMigration> migrate(String target, Progress progress) {
        MigrateResult result = configure().target(target == null ? "latest" : target)
                .callbacks(new ProgressCallback(progress)).load().migrate();
        List<AppliedMigration> applied = new ArrayList<>();
        for (MigrateOutput o : result.migrations) {
            applied.add(new AppliedMigration(o.version, o.description, o.filepath, o.executionTime));
        }
        return applied;
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

    static String stateName(MigrationInfo i) {
        return switch (i.getState()) {
            case SUCCESS, BASELINE, OUT_OF_ORDER -> "applied";
            case PENDING, ABOVE_TARGET, AVAILABLE -> "pending";
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> "failed";
            case MISSING_SUCCESS, DELETED -> "missing";
            case OUTDATED, SUPERSEDED -> "outdated";
            case FUTURE_SUCCESS -> "future";
            default -> "ignored";
        };
    }
}
