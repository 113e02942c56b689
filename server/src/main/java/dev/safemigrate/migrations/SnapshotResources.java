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
                return new Text(f.path().toString() + ".conf", f.script() + ".conf", MigrationSnapshot.NON_TRANSACTIONAL_CONF);
            }
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> out = new ArrayList<>();
        for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
            if (f.fileName().startsWith(prefix) && endsWithAny(f.fileName(), suffixes)) {
                out.add(new Text(f.path().toString(), f.script(), f.text()));
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
        private final String content;

        Text(String absolutePath, String relativePath, String content) {
            this.absolutePath = absolutePath;
            this.relativePath = relativePath;
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
            int slash = relativePath.lastIndexOf('/');
            return slash < 0 ? relativePath : relativePath.substring(slash + 1);
        }

        @Override
        public String getRelativePath() {
            return relativePath;
        }
    }
}
