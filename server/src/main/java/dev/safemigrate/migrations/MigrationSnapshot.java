package dev.safemigrate.migrations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.api.MigrationVersion;

/**
 * The migrations folder read once, into memory: every versioned migration's bytes, text and
 * sha256, and every entry that is not one. Analysis, the dry run, the confirmation and Flyway
 * itself all work from one snapshot, so what executes is byte for byte what was analysed; the
 * folder is never read a second time for the same call, except to prove it did not change.
 *
 * <p>Only what safemigrate understands may be in the folder: regular {@code V<version>__<name>.sql}
 * files, the {@code .conf} safemigrate writes beside a non-transactional one, and a README or
 * {@code .gitkeep}. Anything else (a symlink, a script migration Flyway would run with the
 * password in its environment, another tool's {@code .conf}, a repeatable or callback script, a
 * file that is not UTF-8) is a {@link Stray}, and apply refuses while one is there.
 */
public record MigrationSnapshot(Path dir, List<SnapshotFile> files, List<Stray> strays) {

    static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__(.+)\\.sql");
    private static final Pattern HARMLESS = Pattern.compile("(?i)readme(\\..*)?|\\.gitkeep|\\.keep|\\.safemigrate-.*\\.tmp");

    /** The only script configuration safemigrate writes, for a migration that must run outside a transaction. */
    public static final String NON_TRANSACTIONAL_CONF =
            "# written by safemigrate: PostgreSQL refuses these statements inside a transaction\n"
                    + "executeInTransaction=false\n";

    public MigrationSnapshot {
        files = List.copyOf(files);
        strays = List.copyOf(strays);
    }

    /**
     * @param script              the path relative to the folder, with '/': Flyway's script name for it
     * @param text                the content as Flyway and the analysis read it (UTF-8, without a byte order mark)
     * @param executeInTransaction false when safemigrate's {@code .conf} beside it says so
     */
    public record SnapshotFile(MigrationVersion version, String rawVersion, String name, String script, Path path,
                               String text, String sha256, int checksum, boolean executeInTransaction) {

        public String description() {
            return name.replace('_', ' ');
        }

        public String fileName() {
            return path.getFileName().toString();
        }
    }

    /** An entry safemigrate will not let Flyway near, with why and what to do. */
    public record Stray(Path path, String why) {}

    public static MigrationSnapshot read(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            return new MigrationSnapshot(dir, List.of(), List.of(new Stray(dir,
                    "the migrations folder is a symbolic link: a link can be pointed elsewhere between reading and running")));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new MigrationSnapshot(dir, List.of(), List.of());
        }
        Map<Path, BasicFileAttributes> entries = new LinkedHashMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                entries.put(file, attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        List<Stray> strays = new ArrayList<>();
        Map<Path, String> confs = new HashMap<>();
        List<Path> sqlFiles = new ArrayList<>();
        for (Map.Entry<Path, BasicFileAttributes> e : entries.entrySet()) {
            Path p = e.getKey();
            String name = p.getFileName().toString();
            BasicFileAttributes a = e.getValue();
            if (a.isSymbolicLink()) {
                strays.add(new Stray(p, "a symbolic link: what it points to can change after it was analysed"));
            } else if (!a.isRegularFile()) {
                strays.add(new Stray(p, "not a regular file"));
            } else if (VERSIONED.matcher(name).matches()) {
                sqlFiles.add(p);
            } else if (name.endsWith(".sql.conf") && VERSIONED.matcher(name.substring(0, name.length() - 5)).matches()) {
                confs.put(p, Files.readString(p, StandardCharsets.ISO_8859_1));
            } else if (!HARMLESS.matcher(name).matches()) {
                strays.add(new Stray(p, whyStray(name)));
            }
        }
        List<SnapshotFile> files = new ArrayList<>();
        for (Path p : sqlFiles) {
            Path conf = p.resolveSibling(p.getFileName() + ".conf");
            String confText = confs.remove(conf);
            if (confText != null && !confText.equals(NON_TRANSACTIONAL_CONF)) {
                strays.add(new Stray(conf, "a Flyway script configuration safemigrate did not write: it could change "
                        + "the encoding, the transaction mode or other settings of " + p.getFileName()));
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            Optional<String> text = utf8(bytes);
            if (text.isEmpty()) {
                strays.add(new Stray(p, "not valid UTF-8: Flyway and the analysis could read different text from it"));
                continue;
            }
            Matcher m = VERSIONED.matcher(p.getFileName().toString());
            m.matches();
            String sql = text.get().startsWith("\uFEFF") ? text.get().substring(1) : text.get();
            files.add(new SnapshotFile(MigrationVersion.fromVersion(m.group(1)), m.group(1), m.group(2),
                    dir.relativize(p).toString().replace('\\', '/'), p, sql, sha256(bytes), FlywayChecksum.of(sql),
                    confText == null));
        }
        confs.keySet().forEach(c -> strays.add(new Stray(c, "a Flyway script configuration without its migration")));
        files.sort(Comparator.comparing(SnapshotFile::version).thenComparing(SnapshotFile::script));
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i).version().equals(files.get(i - 1).version())) {
                strays.add(new Stray(files.get(i).path(), "has the same version (" + files.get(i).version()
                        + ") as " + files.get(i - 1).script() + ": Flyway refuses two migrations with one version"));
            }
        }
        strays.sort(Comparator.comparing(Stray::path));
        return new MigrationSnapshot(dir, files, strays);
    }

    private static String whyStray(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".sql")) {
            return "an SQL file that is not a versioned migration (V<version>__<name>.sql): repeatable, undo, baseline "
                    + "and callback scripts would run beside the migrations without analysis";
        }
        if (lower.endsWith(".conf")) {
            return "a Flyway configuration file: it could change how the migrations are read or run";
        }
        if (lower.matches("[vrub].*__.*\\..*") || lower.matches("(before|after)[a-z]*(__.*)?\\..*")) {
            return "a script migration or callback: Flyway runs these as programs, with the database password in "
                    + "their environment";
        }
        return "not a migration: safemigrate only allows V<version>__<name>.sql files here, so that nothing it "
                + "has not analysed can be picked up by Flyway";
    }

    /** Strict UTF-8: a malformed byte is not silently replaced by a character the analysis never saw. */
    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public Optional<SnapshotFile> byScript(String script) {
        return files.stream().filter(f -> f.script().equals(script)).findFirst();
    }

    public Optional<SnapshotFile> byVersion(String version) {
        return parseVersion(version).flatMap(wanted -> files.stream().filter(f -> f.version().equals(wanted)).findFirst());
    }

    /** A version as Flyway reads it ({@code 1_1} is {@code 1.1}), or empty when Flyway could not read it. */
    public static Optional<MigrationVersion> parseVersion(String version) {
        try {
            return Optional.of(MigrationVersion.fromVersion(version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What differs between this snapshot and a later reading of the same folder, one line per
     * file, empty when they hold the same bytes and the same stray entries.
     */
    public List<String> changesIn(MigrationSnapshot later) {
        List<String> changes = new ArrayList<>();
        Map<String, SnapshotFile> before = new LinkedHashMap<>();
        files.forEach(f -> before.put(f.script(), f));
        for (SnapshotFile f : later.files()) {
            SnapshotFile old = before.remove(f.script());
            if (old == null) {
                changes.add(f.script() + " was added");
            } else if (!old.sha256().equals(f.sha256()) || old.executeInTransaction() != f.executeInTransaction()) {
                changes.add(f.script() + " was changed");
            }
        }
        before.keySet().forEach(s -> changes.add(s + " was removed"));
        List<Path> strayPaths = strays.stream().map(Stray::path).toList();
        later.strays().stream().filter(s -> !strayPaths.contains(s.path()))
                .forEach(s -> changes.add(dir.relativize(s.path()) + " appeared"));
        return changes;
    }
}
