package dev.safemigrate.cli.init;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migrations folder a project already has, so that safemigrate.toml points at it instead of
 * starting a second history beside it.
 *
 * @param dir        relative to the project root, with forward slashes
 * @param found      false when no folder exists and {@code dir} is safemigrate's default
 * @param prisma     whether this is Prisma's folder, whose layout Flyway does not read
 * @param versioning "timestamp" or "sequence", as the existing file names are
 * @param imported   whether init just imported Prisma's migrations into {@code dir}
 */
record ExistingMigrations(String dir, boolean found, boolean prisma, String versioning, boolean imported) {

    ExistingMigrations(String dir, boolean found, boolean prisma, String versioning) {
        this(dir, found, prisma, versioning, false);
    }

    /** The folder Prisma's migrations are imported into: a Flyway folder of its own, versioned by Prisma's timestamps. */
    static ExistingMigrations importedFromPrisma() {
        return new ExistingMigrations(DEFAULT, true, false, "timestamp", true);
    }

    /** Flyway's usual places first (its default classpath:db/migration is the Maven one), Prisma's last. */
    static final List<String> FLYWAY_CANDIDATES = List.of("src/main/resources/db/migration", "db/migration",
            "db/migrations", "migrations", "sql/migrations", "src/main/resources/db/migrations");
    static final String PRISMA = "prisma/migrations";
    static final String DEFAULT = "db/migrations";

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    static ExistingMigrations find(Path root) {
        String firstEmpty = null;
        for (String candidate : FLYWAY_CANDIDATES) {
            Path dir = root.resolve(candidate);
            if (Files.isDirectory(dir)) {
                List<String> versions = versions(dir);
                if (!versions.isEmpty()) {
                    return new ExistingMigrations(candidate, true, false, versioning(versions));
                }
                firstEmpty = firstEmpty == null ? candidate : firstEmpty;
            }
        }
        if (firstEmpty != null) {
            return new ExistingMigrations(firstEmpty, true, false, "timestamp");
        }
        if (Files.isDirectory(root.resolve(PRISMA))) {
            return new ExistingMigrations(PRISMA, true, true, "timestamp");
        }
        return new ExistingMigrations(DEFAULT, false, false, "timestamp");
    }

    private static List<String> versions(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> VERSIONED.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** V20261124153000__x.sql is a timestamp; V7__x.sql or V1.2__x.sql a sequence. */
    private static String versioning(List<String> versions) {
        return versions.stream().anyMatch(v -> v.matches("\\d{12,}")) ? "timestamp" : "sequence";
    }
}
