package dev.safemigrate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A Prisma project's history: Prisma's own {@code _prisma_migrations} is the one record of what was
 * applied, read as Prisma's schema engine reads it, and every migration safemigrate applies is
 * written into it as Prisma's {@code migrate deploy} writes it ({@link PrismaRecorder}). So
 * {@code prisma migrate deploy} in production applies the agent's migrations, {@code prisma migrate
 * status} on the development database says it is up to date, and a database Prisma migrated needs
 * no copy and no baseline: its finished rows whose checksums match the files are the applied history.
 *
 * <p>Flyway still executes, from the snapshot. It needs a history of its own while it runs, and a
 * lasting one in Prisma's schema would be drift to Prisma ({@code migrate dev} would offer to reset
 * the database, {@code migrate diff} would drop it), so each apply gives Flyway a history that
 * lives for that apply: {@value #RUN_TABLE}, created by Flyway with a baseline and the pending
 * migrations as versions 1..n in Prisma's order, dropped when Flyway is done. What it held is in
 * {@code _prisma_migrations}, written in each migration's own transaction.
 *
 * <p>Prisma's rules, as its source states them (prisma-engines, {@code schema-engine/}):
 * {@code core/src/commands/apply_migrations.rs} (a migration is applied unless a row not rolled back
 * has its name; any row neither finished nor rolled back is a failed migration, P3009, and nothing
 * runs), {@code core/src/commands/diagnose_migration_history.rs} (what {@code migrate status}
 * reports: edited, failed, and applied migrations missing from the folder),
 * {@code connectors/schema-connector/src/checksum.rs} ({@link PrismaChecksum}).
 */
public final class PrismaHistory implements MigrationHistory {

    /** The advisory lock Prisma's migrate commands take (prisma-engines {@code flavour/postgres.rs}, {@code acquire_lock}). */
    static final long PRISMA_LOCK = 72707369L;
    /** Flyway's history for one apply (see the class comment). */
    static final String RUN_TABLE = "_safemigrate_flyway_run";

    private final FlywayEngine flyway;

    PrismaHistory(FlywayEngine flyway) {
        this.flyway = flyway;
    }

    /** The rows, and the schema they are in (null when the search_path has no schema). */
    record Read(String schema, boolean tableExists, List<PrismaMigrations.Row> rows) {}

    /** The files joined with the rows: each migration's state, what keeps them from being applied, what is pending. */
    record Joined(List<Migration> migrations, List<ValidationProblem> problems, List<MigrationSnapshot.SnapshotFile> pending) {}

    @Override
    public List<Migration> info(MigrationSnapshot snapshot) {
        return joined(snapshot).migrations();
    }

    @Override
    public List<ValidationProblem> validate(MigrationSnapshot snapshot) {
        return joined(snapshot).problems();
    }

    private Joined joined(MigrationSnapshot snapshot) {
        try (Connection c = flyway.openConnection()) {
            return join(snapshot, read(c).rows());
        } catch (SQLException e) {
            throw new FlywayException("could not read " + PrismaMigrations.TABLE + ": " + e.getMessage(), e);
        }
    }

    /** Where Prisma keeps the table: the first schema of the session's search_path, as Flyway's default schema. */
    static Read read(Connection c) throws SQLException {
        String schema;
        boolean exists;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select n.nspname, pg_catalog.to_regclass("
                + "pg_catalog.quote_ident(n.nspname) operator(pg_catalog.||) '." + PrismaMigrations.TABLE + "') is not null "
                + "from pg_catalog.pg_namespace n where n.nspname operator(pg_catalog.=) (pg_catalog.current_schemas(false))[1]")) {
            if (!rs.next()) {
                return new Read(null, false, List.of());
            }
            schema = rs.getString(1);
            exists = rs.getBoolean(2);
        }
        return new Read(schema, exists, exists ? PrismaMigrations.read(c, schema) : List.of());
    }

    /** Prisma's reading of the rows against the folder, with safemigrate's refusals where Prisma's deploy would go on. */
    static Joined join(MigrationSnapshot snapshot, List<PrismaMigrations.Row> rows) {
        Map<String, List<PrismaMigrations.Row>> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.computeIfAbsent(r.migrationName(), n -> new ArrayList<>()).add(r));
        List<Migration> migrations = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        List<MigrationSnapshot.SnapshotFile> pending = new ArrayList<>();
        for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
            String name = PrismaFolder.migrationName(f);
            List<PrismaMigrations.Row> attempts = byName.remove(name);
            if (attempts == null) {
                migrations.add(migration(f.version(), f.description(), MigrationState.PENDING, f, null, false));
                pending.add(f);
                continue;
            }
            Optional<PrismaMigrations.Row> failed = attempts.stream().filter(PrismaMigrations.Row::failed).findFirst();
            List<PrismaMigrations.Row> finished = attempts.stream().filter(PrismaMigrations.Row::finished).toList();
            if (failed.isPresent()) {
                migrations.add(migration(f.version(), f.description(), MigrationState.FAILED, f, failed.get(), true));
                problems.add(failedProblem(f.rawVersion(), failed.get()));
            } else if (!finished.isEmpty()) {
                PrismaMigrations.Row last = finished.get(finished.size() - 1);
                migrations.add(migration(f.version(), f.description(), MigrationState.APPLIED, f, last, true));
                for (PrismaMigrations.Row r : finished) {
                    if (!PrismaChecksum.matches(f.text(), r.checksum())) {
                        problems.add(new ValidationProblem(ValidationProblem.Kind.CHECKSUM_MISMATCH, f.rawVersion(),
                                name + " was applied, and its migration.sql has been edited since (checksum mismatch: "
                                        + "its sha256 is " + f.sha256() + ", _prisma_migrations records " + r.checksum()
                                        + "; Prisma: \"The migration `" + name + "` was modified after it was applied.\")"));
                        break;
                    }
                }
            } else {
                PrismaMigrations.Row last = attempts.get(attempts.size() - 1);
                migrations.add(migration(f.version(), f.description(), MigrationState.PENDING, f, null, false));
                problems.add(new ValidationProblem(ValidationProblem.Kind.ROLLED_BACK, f.rawVersion(), name + " failed "
                        + "and was marked rolled back in _prisma_migrations (at " + last.rolledBackAt() + ", `prisma migrate "
                        + "resolve --rolled-back`), and has not been applied since: Prisma's deploy would run it again, "
                        + "but safemigrate cannot tell whether the schema holds none of it. A person checks the schema, "
                        + "then applies it with Prisma (`prisma migrate deploy`), or deletes its folder if it must never run"));
            }
        }
        for (Map.Entry<String, List<PrismaMigrations.Row>> e : byName.entrySet()) {
            String name = e.getKey();
            Optional<PrismaMigrations.Row> failed = e.getValue().stream().filter(PrismaMigrations.Row::failed).findFirst();
            Optional<PrismaMigrations.Row> finished = e.getValue().stream().filter(PrismaMigrations.Row::finished)
                    .reduce((a, b) -> b);
            // only rolled-back attempts of a folder since deleted: Prisma's documented way out of a failure
            if (failed.isEmpty() && finished.isEmpty()) {
                continue;
            }
            String digits = name.replaceFirst("^([0-9]+).*$", "$1");
            String version = digits.matches("[0-9]+") ? digits : null;
            if (version != null) {
                migrations.add(migration(MigrationVersion.fromVersion(version), description(name),
                        failed.isPresent() ? MigrationState.FAILED : MigrationState.MISSING, null,
                        failed.orElse(finished.orElse(null)), true));
            }
            if (failed.isPresent()) {
                problems.add(failedProblem(version, failed.get()));
            }
            problems.add(new ValidationProblem(ValidationProblem.Kind.MISSING_FILE, version, name + " is recorded in "
                    + "_prisma_migrations, but its folder is not in the migrations folder (Prisma: \"The following "
                    + "migration(s) are applied to the database but missing from the local migrations directory: "
                    + name + "\"). Restore " + name + "/migration.sql from version control (git checkout it)"));
        }
        migrations.sort(Comparator.comparing(Migration::version));
        return new Joined(migrations, problems, pending);
    }

    private static ValidationProblem failedProblem(String version, PrismaMigrations.Row row) {
        String logs = row.logs() == null || row.logs().isBlank() ? "" : " with the logs: " + clip(row.logs().strip());
        return new ValidationProblem(ValidationProblem.Kind.FAILED, version, "Prisma: \"migrate found failed migrations "
                + "in the target database, new migrations will not be applied\" (P3009): the `" + row.migrationName()
                + "` migration started at " + row.startedAt() + " failed" + logs + ". The database may hold part of it. "
                + "A person makes the schema whole, then records it with Prisma: `prisma migrate resolve --rolled-back "
                + row.migrationName() + "` if it was undone, or `--applied " + row.migrationName() + "` if it was "
                + "completed by hand (https://pris.ly/d/migrate-resolve)");
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static String description(String name) {
        int underscore = name.indexOf('_');
        return underscore < 0 ? "" : name.substring(underscore + 1).replace('_', ' ');
    }

    private static Migration migration(MigrationVersion version, String description, MigrationState state,
                                       MigrationSnapshot.SnapshotFile file, PrismaMigrations.Row row, boolean recorded) {
        Integer ms = row == null || row.finishedAt() == null ? null
                : (int) Math.min(Integer.MAX_VALUE, Duration.between(row.startedAt(), row.finishedAt()).toMillis());
        Instant installed = row == null ? null : row.finishedAt() != null ? row.finishedAt() : row.startedAt();
        return new Migration(version, description, "SQL", state, Optional.ofNullable(file),
                file == null ? null : file.checksum(), installed, ms, recorded);
    }

    /**
     * Under Prisma's own advisory lock, so that a {@code prisma migrate deploy} against the same
     * database waits rather than applies the same migrations: the rows read again, every refusal
     * checked again, then Flyway runs the pending migrations up to {@code target} in Prisma's order.
     */
    @Override
    public List<AppliedMigration> migrate(MigrationSnapshot snapshot, String target, FlywayEngine.Progress progress) {
        try (Connection c = flyway.openConnection()) {
            if (!lock(c)) {
                throw new FlywayException("another Prisma migrate command holds Prisma's lock on this database "
                        + "(pg_advisory_lock(" + PRISMA_LOCK + ")); nothing was applied");
            }
            try {
                Read read = read(c);
                if (read.schema() == null) {
                    throw new FlywayException("no schema of the search_path exists, so there is nowhere to keep "
                            + PrismaMigrations.TABLE);
                }
                Joined joined = join(snapshot, read.rows());
                if (!joined.problems().isEmpty()) {
                    throw new FlywayException(joined.problems().stream().map(ValidationProblem::message)
                            .reduce((a, b) -> a + "; " + b).orElseThrow());
                }
                MigrationVersion upTo = target == null ? null : MigrationVersion.fromVersion(target);
                List<MigrationSnapshot.SnapshotFile> run = joined.pending().stream()
                        .filter(f -> upTo == null || f.version().compareTo(upTo) <= 0).toList();
                if (run.isEmpty()) {
                    return List.of();
                }
                return apply(c, read.schema(), run, progress);
            } finally {
                unlock(c);
            }
        } catch (SQLException e) {
            throw new FlywayException("could not read or lock " + PrismaMigrations.TABLE + ": " + e.getMessage(), e);
        }
    }

    private List<AppliedMigration> apply(Connection c, String schema, List<MigrationSnapshot.SnapshotFile> run,
                                         FlywayEngine.Progress progress) throws SQLException {
        List<MigrationSnapshot.SnapshotFile> numbered = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            MigrationSnapshot.SnapshotFile f = run.get(i);
            String n = String.valueOf(i + 1);
            // Flyway reads the version and the description from V<n>__<description>.sql; the script stays Prisma's path
            numbered.add(new MigrationSnapshot.SnapshotFile(MigrationVersion.fromVersion(n), n, flywayDescription(f),
                    f.script(), f.path(), f.text(), f.sha256(), f.checksum(), f.executeInTransaction()));
        }
        PrismaRecorder recorder = new PrismaRecorder(schema, run, progress);
        dropRunTable(c, schema);
        List<AppliedMigration> applied;
        try {
            applied = flyway.migrateOnce(new MigrationSnapshot(run.get(0).path().getParent().getParent(), numbered, List.of()),
                    RUN_TABLE, recorder);
        } catch (FlywayException e) {
            recorder.recordFailure(c, e);
            throw e;
        } finally {
            dropRunTable(c, schema);
        }
        List<AppliedMigration> out = new ArrayList<>();
        for (AppliedMigration a : applied) {
            MigrationSnapshot.SnapshotFile f = run.get(Integer.parseInt(a.version()) - 1);
            out.add(new AppliedMigration(f.rawVersion(), f.description(), f.script(), a.executionMs()));
        }
        return out;
    }

    /** A description Flyway can read back from a file name: Prisma allows any folder name. */
    private static String flywayDescription(MigrationSnapshot.SnapshotFile f) {
        String d = f.name().replaceAll("[^A-Za-z0-9_-]", "_");
        return d.isEmpty() ? "migration" : d;
    }

    private static boolean lock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_catalog.pg_try_advisory_lock(?)")) {
            s.setLong(1, PRISMA_LOCK);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_catalog.pg_advisory_unlock(?)")) {
            s.setLong(1, PRISMA_LOCK);
            s.execute();
        }
    }

    /** Flyway's history of one apply, or one an interrupted apply left: it holds nothing _prisma_migrations lacks. */
    private static void dropRunTable(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop table if exists " + PrismaMigrations.quote(schema) + "." + RUN_TABLE);
        }
    }
}
