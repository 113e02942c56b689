package dev.safemigrate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.MigrationVersion;

import dev.safemigrate.cli.init.PrismaImport;
import dev.safemigrate.migrations.PrismaMigrations;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.MigrationSnapshot.SnapshotFile;

/**
 * What {@code safemigrate baseline} records, decided without I/O: the version the existing schema
 * is taken to be at, the migration files that version covers (they never run on this database)
 * and the ones left pending.
 */
record BaselinePlan(String version, String description, List<SnapshotFile> covered, List<SnapshotFile> pending) {

    /** Why no baseline may be recorded, in words for the person at the terminal. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The highest version in the folder, or 0 (everything pending) when the folder has no migration. */
    static BaselinePlan highest(MigrationSnapshot snapshot) {
        List<SnapshotFile> files = snapshot.files();
        String version = files.isEmpty() ? "0" : files.get(files.size() - 1).version().getVersion();
        return split(snapshot, MigrationVersion.fromVersion(version), "safemigrate baseline");
    }

    static BaselinePlan at(MigrationSnapshot snapshot, String version) throws Refused {
        MigrationVersion v;
        try {
            v = MigrationVersion.fromVersion(version);
        } catch (RuntimeException e) {
            throw new Refused("--version " + version + " is not a version (digits separated by dots or underscores, "
                    + "e.g. 7 or 20261124153000 or 1.2)");
        }
        if (v.getVersion() == null || !version.matches("[0-9][0-9._]*")) {
            throw new Refused("--version " + version + " is not a version (digits separated by dots or underscores)");
        }
        return split(snapshot, v, "safemigrate baseline");
    }

    /**
     * Covers exactly the migrations Prisma recorded as finished, each matched by its timestamp to an
     * imported file whose bytes have the sha256 Prisma recorded. Flyway records one baseline version,
     * which covers every file at or below it: so the finished migrations must be the first files of
     * the folder, in order, with no unfinished one among them.
     */
    static BaselinePlan fromPrisma(MigrationSnapshot snapshot, List<PrismaMigrations.Row> rows) throws Refused {
        Map<String, PrismaMigrations.Row> finished = new LinkedHashMap<>();
        Map<String, PrismaMigrations.Row> unfinished = new LinkedHashMap<>();
        for (PrismaMigrations.Row r : rows) {
            if (r.finished()) {
                finished.put(r.migrationName(), r);
            } else {
                unfinished.putIfAbsent(r.migrationName(), r);
            }
        }
        // an attempt that failed and was rolled back, then applied again, is finished: the last attempt counts
        unfinished.keySet().removeAll(finished.keySet());
        for (PrismaMigrations.Row r : unfinished.values()) {
            throw new Refused("Prisma migration " + r.migrationName() + (r.rolledBackAt() != null
                    ? " was rolled back" : r.finishedAt() == null ? " failed or never finished" : " is not finished")
                    + " (in _prisma_migrations: started " + r.startedAt() + ", finished " + r.finishedAt()
                    + ", rolled back " + r.rolledBackAt() + "). The schema may hold part of it. Bring the database to a "
                    + "known state with Prisma first (fix and apply it, or undo it by hand and remove the migration), "
                    + "then run this again.");
        }
        List<SnapshotFile> covered = new ArrayList<>();
        for (PrismaMigrations.Row r : finished.values()) {
            String version = PrismaImport.versionOf(r.migrationName());
            SnapshotFile file = version == null ? null : snapshot.byVersion(version).orElse(null);
            if (file == null) {
                throw new Refused("Prisma applied " + r.migrationName() + " to this database, but no migration file has "
                        + "its version" + (version == null ? "" : " " + version) + ". Import Prisma's migrations first: "
                        + "safemigrate init --import-prisma");
            }
            if (!file.sha256().equalsIgnoreCase(r.checksum() == null ? "" : r.checksum())) {
                throw new Refused(file.script() + " is not the migration Prisma applied as " + r.migrationName()
                        + ": its sha256 is " + file.sha256() + ", Prisma recorded " + r.checksum() + ". The file was "
                        + "changed after Prisma ran it; restore it from prisma/migrations/" + r.migrationName()
                        + "/migration.sql (or from version control), then run this again.");
            }
            if (covered.contains(file)) {
                throw new Refused("two Prisma migrations have the timestamp " + version + "; Flyway needs one version each");
            }
            covered.add(file);
        }
        covered.sort((a, b) -> a.version().compareTo(b.version()));
        List<SnapshotFile> files = snapshot.files();
        for (int i = 0; i < covered.size(); i++) {
            if (!files.get(i).equals(covered.get(i))) {
                throw new Refused(files.get(i).script() + " comes before " + covered.get(i).script() + " but Prisma has "
                        + "not applied it. A Flyway baseline covers every migration up to one version, so the ones "
                        + "Prisma applied must be the first in the folder. Apply " + files.get(i).script() + " with "
                        + "Prisma first, or move it after the applied ones (a new timestamp), then run this again.");
            }
        }
        if (covered.isEmpty()) {
            return split(snapshot, MigrationVersion.fromVersion("0"), "baseline: no Prisma migration applied");
        }
        return split(snapshot, covered.get(covered.size() - 1).version(),
                "baseline from Prisma (" + covered.size() + " migrations)");
    }

    private static BaselinePlan split(MigrationSnapshot snapshot, MigrationVersion version, String description) {
        List<SnapshotFile> covered = new ArrayList<>();
        List<SnapshotFile> pending = new ArrayList<>();
        for (SnapshotFile f : snapshot.files()) {
            (f.version().compareTo(version) <= 0 ? covered : pending).add(f);
        }
        return new BaselinePlan(version.getVersion(), description, covered, pending);
    }
}
