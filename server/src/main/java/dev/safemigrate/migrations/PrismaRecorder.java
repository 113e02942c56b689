package dev.safemigrate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Writes each migration Flyway applies into {@code _prisma_migrations} as Prisma's {@code migrate
 * deploy} leaves it (prisma-engines {@code schema-engine/core/src/commands/apply_migrations.rs} and
 * {@code sql-schema-connector/src/sql_migration_persistence.rs}: a row started with a new UUID v4,
 * the script's checksum and the migration's name; one successful step; then {@code finished_at};
 * {@code logs} and {@code rolled_back_at} left NULL), the table made with Prisma's own DDL when it is
 * missing ({@code flavour/postgres.rs}, {@code create_migrations_table}).
 *
 * <p>The row is written on the migration's connection after its last statement, inside its
 * transaction (Flyway runs each-migrate callbacks that can handle a transaction inside it): the
 * migration and its row commit together or not at all, where Prisma's deploy writes the row before
 * and after the script in transactions of their own. A migration that runs outside a transaction
 * and fails leaves what Prisma leaves: a row with the error in {@code logs}, not finished.
 */
final class PrismaRecorder implements Callback {

    /** Prisma's DDL for the table, in the schema Flyway runs in. */
    static String createTable(String schema) {
        return "CREATE TABLE IF NOT EXISTS " + PrismaMigrations.quote(schema) + "." + PrismaMigrations.TABLE + " (\n"
                + "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                + "    checksum                VARCHAR(64) NOT NULL,\n"
                + "    finished_at             TIMESTAMPTZ,\n"
                + "    migration_name          VARCHAR(255) NOT NULL,\n"
                + "    logs                    TEXT,\n"
                + "    rolled_back_at          TIMESTAMPTZ,\n"
                + "    started_at              TIMESTAMPTZ NOT NULL DEFAULT pg_catalog.now(),\n"
                + "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
                + ")";
    }

    /** The time as Prisma's schema engine takes it for the row (a JavaScript Date: milliseconds). */
    private static final String NOW = "pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp())";

    private final String schema;
    /** The migrations of this run, Flyway's version n being the n-th. */
    private final List<MigrationSnapshot.SnapshotFile> run;
    private final FlywayEngine.Progress progress;
    private MigrationSnapshot.SnapshotFile current;
    private Timestamp startedAt;
    private boolean outsideTransaction;

    PrismaRecorder(String schema, List<MigrationSnapshot.SnapshotFile> run, FlywayEngine.Progress progress) {
        this.schema = schema;
        this.run = run;
        this.progress = progress;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo info = context.getMigrationInfo();
        if (info == null || info.getVersion() == null) {
            return;
        }
        MigrationSnapshot.SnapshotFile f = run.get(Integer.parseInt(info.getVersion().getVersion()) - 1);
        Connection c = context.getConnection();
        try {
            if (event == Event.BEFORE_EACH_MIGRATE) {
                current = f;
                outsideTransaction = c.getAutoCommit();
                startedAt = now(c);
                return;
            }
            insert(c, f, startedAt, true, null);
            current = null;
        } catch (SQLException e) {
            throw new FlywayException("could not record " + PrismaFolder.migrationName(f) + " in "
                    + PrismaMigrations.TABLE + ": " + e.getMessage(), e);
        }
        if (progress != null) {
            progress.migrated(f.rawVersion(), f.description());
        }
    }

    /**
     * After Flyway failed: a migration that ran outside a transaction may have done part of its work,
     * so it is recorded as Prisma records a failed one, and both tools refuse to go on until a person
     * resolved it. One that ran in a transaction was rolled back whole: nothing to record.
     */
    void recordFailure(Connection c, FlywayException failure) {
        if (current == null || !outsideTransaction) {
            return;
        }
        try {
            insert(c, current, startedAt, false, failure.getMessage());
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void insert(Connection c, MigrationSnapshot.SnapshotFile f, Timestamp started, boolean finished, String logs)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(createTable(schema));
        }
        try (PreparedStatement s = c.prepareStatement("insert into " + PrismaMigrations.quote(schema) + "."
                + PrismaMigrations.TABLE + " (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, "
                + "applied_steps_count) values (?, ?, " + (finished ? NOW : "null") + ", ?, ?, null, ?, ?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, PrismaChecksum.of(f.text()));
            s.setString(3, PrismaFolder.migrationName(f));
            s.setString(4, logs);
            s.setTimestamp(5, started);
            s.setInt(6, finished ? 1 : 0);
            s.executeUpdate();
        }
    }

    private static Timestamp now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select " + NOW)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    @Override
    public String getCallbackName() {
        return "safemigrate-prisma-migrations";
    }
}
