package dev.safemigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.TrustRecord;

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
        return new ProjectDir(root, database).approve();
    }

    public Config config() {
        return new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root);
    }

    /**
     * A person approves the settings as the file holds them now, exactly as {@code safemigrate trust}
     * records it: every project starts approved, and a test that edits the file as a person would
     * approves it again, so the suite tests the layers behind this one.
     */
    public ProjectDir approve() {
        approve(config());
        return this;
    }

    /** The approval {@code safemigrate trust} records, for a configuration a test wrote itself. */
    public static Config approve(Config config) {
        try {
            TrustRecord.of(config, "a-person", Instant.now()).write(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
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
