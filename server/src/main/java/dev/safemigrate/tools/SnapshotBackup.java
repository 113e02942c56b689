package dev.safemigrate.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.backup.BackupException;
import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.backup.BackupStore;
import dev.safemigrate.backup.DumpTarget;
import dev.safemigrate.backup.PgDump;
import dev.safemigrate.db.SchemaCatalog;

/**
 * A pg_dump whose row counts are exact: the counts are read in a repeatable-read transaction
 * whose snapshot is exported and handed to pg_dump, so both see the same instant even while
 * other sessions write.
 */
final class SnapshotBackup {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    record Taken(BackupManifest manifest, Path file, List<String> removed) {}

    private SnapshotBackup() {}

    static Taken take(Project project, ProvenConnection db, String label) throws BackupException {
        PgDump pgDump = project.pgDump();
        PgDump.Version version = pgDump.version();
        PgDump.requireCompatible(version, db.observed.serverVersionNum(), project.config().backup().pgDump());
        BackupStore store = project.backups();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path temp = null;
        DumpTarget target = DumpTarget.of(db.settings.hosts().get(0), db.settings.port(), db.settings.database(),
                db.settings.user(), db.settings.password());
        try (Connection c = db.settings.openPinned()) {
            c.setAutoCommit(false);
            List<BackupManifest.TableRows> counts = new ArrayList<>();
            String snapshot;
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = s.executeQuery("select pg_catalog.pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            temp = store.newTempFile();
            // pg_dump reads the exported snapshot while this transaction counts the rows in it: the two
            // overlap instead of adding up (the count scans every table, as the dump does)
            PgDump.Running dump = pgDump.start(target, snapshot, temp);
            try {
                for (SchemaCatalog.TableName t : SchemaCatalog.tables(c)) {
                    counts.add(new BackupManifest.TableRows(t.schema(), t.name(), SchemaCatalog.countRows(c, t)));
                }
            } catch (SQLException | RuntimeException e) {
                dump.abort();
                throw e;
            }
            dump.await();
            c.commit();
            String fileName = STAMP.format(started) + (label == null ? "" : "-" + label) + ".dump";
            BackupManifest manifest = new BackupManifest(fileName, label, started.toString(), Files.size(temp),
                    BackupStore.sha256(temp), (System.nanoTime() - t0) / 1_000_000, version.text(), target.database(),
                    db.settings.hosts().get(0), db.settings.port(), counts);
            Path file = store.commit(temp, fileName, manifest);
            temp = null;
            return new Taken(manifest, file, store.applyRetention());
        } catch (SQLException e) {
            throw new BackupException("could not read the snapshot for the backup: " + e.getMessage(),
                    "Check that the database is reachable (call status), then call backup again.");
        } catch (IOException e) {
            throw new BackupException("could not write the backup into " + store.dir() + ": " + e.getMessage(),
                    "Check that [backup] dir is writable and has space.");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover .partial- file is never mistaken for a backup
                }
            }
        }
    }
}
