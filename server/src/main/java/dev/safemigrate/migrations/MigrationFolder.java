package dev.safemigrate.migrations;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * safemigrate's own layout: a folder of Flyway's versioned migration files, where they are written,
 * and read into a snapshot; Flyway's {@code flyway_schema_history} records them.
 */
public final class MigrationFolder implements MigrationLayout {

    private final Path dir;

    public MigrationFolder(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public MigrationSnapshot snapshot() throws IOException {
        return MigrationSnapshot.read(dir);
    }

    @Override
    public String historyTable() {
        return "flyway_schema_history";
    }

    @Override
    public MigrationHistory history(FlywayEngine flyway) {
        return flyway;
    }

    /**
     * Writes {@code V<version>__<name>.sql} completely or not at all, and never over an existing
     * file: the content goes to a temporary file first, which is then hard-linked into place
     * (a link fails if the name exists, where a rename would silently replace it).
     */
    public MigrationFile write(String version, String name, String content) throws IOException {
        return write(version, name, content, true);
    }

    /**
     * @param executeInTransaction false writes Flyway's per-script {@code <file>.conf} with
     *                             {@code executeInTransaction=false} first, so Flyway never sees the SQL without it
     */
    @Override
    public MigrationFile write(String version, String name, String content, boolean executeInTransaction)
            throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve("V" + version + "__" + name + ".sql");
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path conf = scriptConfig(target);
        if (!executeInTransaction) {
            writeNew(conf, MigrationSnapshot.NON_TRANSACTIONAL_CONF);
        }
        try {
            writeNew(target, content);
        } catch (IOException | RuntimeException e) {
            if (!executeInTransaction) {
                Files.deleteIfExists(conf);
            }
            throw e;
        }
        return new MigrationFile(version, name, target);
    }

    /** Flyway's script configuration file beside a migration. */
    public static Path scriptConfig(Path migration) {
        return migration.resolveSibling(migration.getFileName() + ".conf");
    }

    private void writeNew(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(dir, ".safemigrate-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Replaces a pending migration by its new version such that the folder holds exactly one
     * version of it at every instant, whenever the process dies (kill -9, power loss). Writing the
     * new file and then deleting the old one leaves both if the process dies in between, and Flyway
     * would run both; deleting first leaves none. Instead every step is one rename:
     * <ol>
     *   <li>the new content goes to a temporary file beside the old one (not a migration name);</li>
     *   <li>it is renamed over the old file: the old name now holds the new content, atomically;</li>
     *   <li>that file is renamed to the new name.</li>
     * </ol>
     * Dying after step 2 leaves the new content under the old (pending) version: one version, and
     * a pending file's content may change. The script configuration ({@code .conf}) is removed before
     * and written after, so a crash can only leave a non-transactional statement without it, which
     * PostgreSQL refuses inside a transaction, or an orphan {@code .conf}, which apply refuses.
     */
    @Override
    public MigrationFile replace(Path old, String version, String name, String content, boolean executeInTransaction)
            throws IOException {
        Path target = dir.resolve("V" + version + "__" + name + ".sql");
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path oldConf = scriptConfig(old);
        Path temp = Files.createTempFile(old.getParent(), ".safemigrate-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            Files.deleteIfExists(oldConf);
            Files.move(temp, old, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        // rename(2) would replace a target that appeared since the check above; the tool's write lock
        // serialises replaces in one server, and the version is new, so only another process could race it
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        if (!executeInTransaction) {
            writeNew(scriptConfig(target), MigrationSnapshot.NON_TRANSACTIONAL_CONF);
        }
        return new MigrationFile(version, name, target);
    }

    public void delete(Path migration) throws IOException {
        Files.deleteIfExists(migration);
        Files.deleteIfExists(scriptConfig(migration));
    }
}
