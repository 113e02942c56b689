package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.safemigrate.migrations.MigrationName;

/**
 * Prisma's migrations, {@code prisma/migrations/<timestamp>_<name>/migration.sql}, copied byte for
 * byte into Flyway files {@code V<timestamp>__<name>.sql}: the timestamp becomes the version, so the
 * order stays Prisma's, and the bytes stay the ones whose sha256 Prisma recorded in
 * {@code _prisma_migrations}, which {@code safemigrate baseline --from-prisma} checks.
 */
public final class PrismaImport {

    private static final Pattern FOLDER = Pattern.compile("([0-9]+)(?:_(.*))?");

    /** One Prisma migration and the Flyway file it becomes. */
    public record Planned(String prismaName, Path source, String version, String fileName) {}

    /** What an import would do: the files to copy, and the ones already there with the same bytes. */
    public record Plan(List<Planned> copy, List<Planned> alreadyImported) {}

    private PrismaImport() {}

    /** The Flyway version of a Prisma migration folder name, or null when it does not start with a timestamp. */
    public static String versionOf(String prismaName) {
        Matcher m = FOLDER.matcher(prismaName);
        return m.matches() ? m.group(1) : null;
    }

    /** Prisma allows names the slug rules do not: lowercase, anything else an underscore, at most 60. */
    static String slug(String name) {
        String s = (name == null ? "" : name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
                .replaceAll("_+", "_").replaceAll("^_|_$", "");
        s = s.length() > 60 ? s.substring(0, 60).replaceAll("_$", "") : s;
        s = s.isEmpty() ? "migration" : s;
        if (MigrationName.problem(s) != null) {
            throw new IllegalStateException("slug " + s + ": " + MigrationName.problem(s));
        }
        return s;
    }

    /**
     * Plans the import of every {@code <timestamp>_<name>/migration.sql} under {@code prismaDir}
     * into {@code target}, in timestamp order. Refuses (before anything is written) a folder whose
     * name has no timestamp, two folders with one timestamp, or a target file that exists with
     * other bytes: an import never overwrites.
     */
    public static Plan plan(Path prismaDir, Path target) throws SetupException, IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(prismaDir)) {
            folders = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> Files.isRegularFile(p.resolve("migration.sql"), LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        List<Planned> copy = new ArrayList<>();
        List<Planned> already = new ArrayList<>();
        String previous = null;
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            Matcher m = FOLDER.matcher(name);
            if (!m.matches()) {
                throw new SetupException("cannot import " + prismaDir.relativize(folder) + ": a Prisma migration folder "
                        + "is named <timestamp>_<name>; rename it or move it out of " + prismaDir);
            }
            if (m.group(1).equals(previous)) {
                throw new SetupException("cannot import " + name + ": another Prisma migration has the timestamp "
                        + previous + ", and each Flyway version must be unique");
            }
            previous = m.group(1);
            Planned p = new Planned(name, folder.resolve("migration.sql"), m.group(1),
                    "V" + m.group(1) + "__" + slug(m.group(2)) + ".sql");
            Path existing = target.resolve(p.fileName());
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)
                        || Files.mismatch(existing, p.source()) != -1) {
                    throw new SetupException("cannot import " + name + ": " + existing + " already exists with other "
                            + "content, and an import never overwrites a migration");
                }
                already.add(p);
            } else {
                copy.add(p);
            }
        }
        return new Plan(copy, already);
    }

    /** Copies the planned files, each complete or not at all, never over an existing file. */
    public static void write(Plan plan, Path target) throws IOException {
        Files.createDirectories(target);
        for (Planned p : plan.copy()) {
            Path temp = Files.createTempFile(target, ".safemigrate-", ".tmp");
            try {
                Files.write(temp, Files.readAllBytes(p.source()));
                try {
                    Files.createLink(target.resolve(p.fileName()), temp);
                } catch (FileAlreadyExistsException e) {
                    throw new IOException(p.fileName() + " appeared while importing; it was left as it is", e);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
