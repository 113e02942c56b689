package dev.safemigrate.migrations;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Flyway's view of the migrations: exactly the snapshot, never the disk. Flyway asks a resource
 * provider for SQL migrations, script migrations ({@code .sh}, {@code .ps1}, {@code .py} …),
 * callbacks and per-script {@code .conf} files; this one answers only with the snapshot's
 * versioned SQL files and the {@code .conf} safemigrate wrote, so nothing else can run.
 */
final class SnapshotResources implements ResourceProvider {

    private final MigrationSnapshot snapshot;

    SnapshotResources(MigrationSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public LoadableResource getResource(String name) {
        for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
            if (!f.executeInTransaction() && name.equals(f.script() + ".conf")) {
                return new Text(f.path().toString() + ".conf", f.script() + ".conf", f.fileName() + ".conf",
                        MigrationSnapshot.NON_TRANSACTIONAL_CONF);
            }
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> out = new ArrayList<>();
        for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
            // the name Flyway reads version and description from: the file's own in Flyway's layout, and in
            // another (prisma/migrations/<timestamp>_<name>/migration.sql) the same two parts in Flyway's form
            String flywayName = "V" + f.rawVersion() + "__" + f.name() + ".sql";
            if (flywayName.startsWith(prefix) && endsWithAny(flywayName, suffixes)) {
                out.add(new Text(f.path().toString(), f.script(), flywayName, f.text()));
            }
        }
        return out;
    }

    private static boolean endsWithAny(String name, String[] suffixes) {
        for (String s : suffixes) {
            if (name.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /** A resource whose content is held in memory. */
    private static final class Text extends LoadableResource {
        private final String absolutePath;
        private final String relativePath;
        private final String filename;
        private final String content;

        Text(String absolutePath, String relativePath, String filename, String content) {
            this.absolutePath = absolutePath;
            this.relativePath = relativePath;
            this.filename = filename;
            this.content = content;
        }

        @Override
        public Reader read() {
            return new StringReader(content);
        }

        @Override
        public String getAbsolutePath() {
            return absolutePath;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return absolutePath;
        }

        @Override
        public String getFilename() {
            return filename;
        }

        @Override
        public String getRelativePath() {
            return relativePath;
        }
    }
}
