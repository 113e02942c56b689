package dev.safemigrate.migrations;

import java.nio.file.Path;

/** A versioned migration file on disk: {@code V<version>__<name>.sql}. */
public record MigrationFile(String version, String name, Path path) {

    /** Flyway's description: the name with underscores as spaces. */
    public String description() {
        return name.replace('_', ' ');
    }

    public String fileName() {
        return path.getFileName().toString();
    }
}
