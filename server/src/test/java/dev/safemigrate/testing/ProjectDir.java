package dev.safemigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;

/** A temporary project folder with a safemigrate.toml pointing at one test database. */
public final class ProjectDir {

    public final Path root;
    public final String database;

    private ProjectDir(Path root, String database) {
        this.root = root;
        this.database = database;
    }

    /** @param extraToml appended to the generated file, e.g. a [policy] section */
    public static ProjectDir create(Path root, String database, String extraToml) {
        String toml = """
                [migrations]
                dir = "db/migrations"

                [dev]
                url = "%s"
                user = "%s"

                [backup]
                dir = ".safemigrate/backups"
                keep = 3
                """.formatted(TestDatabase.url(database), TestDatabase.APP_ROLE) + extraToml;
        try {
            Files.writeString(root.resolve("safemigrate.toml"), toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProjectDir(root, database);
    }

    public Config config() {
        return new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root);
    }

    public Path configFile() {
        return root.resolve("safemigrate.toml");
    }

    public Path migrations() {
        return root.resolve("db/migrations");
    }

    public List<Path> migrationFiles() {
        return list(migrations());
    }

    public List<Path> backupFiles() {
        return list(root.resolve(".safemigrate/backups"));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
