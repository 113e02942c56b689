package dev.safemigrate.migrations;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The folder of versioned migration files, as Flyway's filesystem location sees it. */
public final class MigrationFolder {

    private static final Pattern FILE = Pattern.compile("V([0-9][0-9._]*)__(.+)\\.sql");

    private final Path dir;

    public MigrationFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The versioned migrations, in subfolders too: Flyway's filesystem location is read recursively. */
    public List<MigrationFile> list() throws IOException {
        List<MigrationFile> files = new ArrayList<>();
        for (Path p : sqlFiles()) {
            Matcher m = FILE.matcher(p.getFileName().toString());
            if (m.matches()) {
                files.add(new MigrationFile(m.group(1), m.group(2), p));
            }
        }
        files.sort(Comparator.comparing(f -> new VersionKey(f.version())));
        return files;
    }

    /**
     * SQL files that are not versioned migrations: repeatable (R__), undo, baseline or callback
     * scripts. Flyway would run some of them beside the migrations, where no analysis sees them.
     */
    public List<Path> otherSqlFiles() throws IOException {
        return sqlFiles().stream().filter(p -> !FILE.matcher(p.getFileName().toString()).matches()).toList();
    }

    private List<Path> sqlFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".sql"))
                    .sorted()
                    .toList();
        }
    }

    public Optional<MigrationFile> find(String version) throws IOException {
        String wanted = new VersionKey(version).canonical();
        return list().stream().filter(f -> new VersionKey(f.version()).canonical().equals(wanted)).findFirst();
    }

    public String read(MigrationFile file) throws IOException {
        return Files.readString(file.path(), StandardCharsets.UTF_8);
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
    public MigrationFile write(String version, String name, String content, boolean executeInTransaction)
            throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve("V" + version + "__" + name + ".sql");
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path conf = scriptConfig(target);
        if (!executeInTransaction) {
            writeNew(conf, "# written by safemigrate: PostgreSQL refuses these statements inside a transaction\n"
                    + "executeInTransaction=false\n");
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

    public void delete(MigrationFile file) throws IOException {
        Files.deleteIfExists(file.path());
        Files.deleteIfExists(scriptConfig(file.path()));
    }

    /** Orders versions numerically part by part, as Flyway does (1.10 after 1.9). */
    public record VersionKey(String version) implements Comparable<VersionKey> {
        public String canonical() {
            return String.join(".", parts().stream().map(java.math.BigInteger::toString).toList());
        }

        List<java.math.BigInteger> parts() {
            List<java.math.BigInteger> parts = new ArrayList<>();
            for (String p : version.split("[._]")) {
                if (!p.isEmpty()) {
                    parts.add(new java.math.BigInteger(p));
                }
            }
            while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
                parts.remove(parts.size() - 1);
            }
            return parts;
        }

        @Override
        public int compareTo(VersionKey o) {
            List<java.math.BigInteger> a = parts();
            List<java.math.BigInteger> b = o.parts();
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                java.math.BigInteger x = i < a.size() ? a.get(i) : java.math.BigInteger.ZERO;
                java.math.BigInteger y = i < b.size() ? b.get(i) : java.math.BigInteger.ZERO;
                int c = x.compareTo(y);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }
}
