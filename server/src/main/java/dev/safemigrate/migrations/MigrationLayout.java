package dev.safemigrate.migrations;

import java.io.IOException;
import java.nio.file.Path;

import dev.safemigrate.config.Config;

/**
 * How a project keeps its migrations: the folder, how a migration is named and written in it, and
 * the history table the database records them in. safemigrate's own Flyway folder
 * ({@link MigrationFolder}), or the team's migration tool's, kept where it is ({@link PrismaFolder}):
 * another tool's layout is one more implementation of this, with its {@link MigrationHistory}.
 */
public interface MigrationLayout {

    Path dir();

    /** The folder as it is now, read once: see {@link MigrationSnapshot}. */
    MigrationSnapshot snapshot() throws IOException;

    /** Writes a new migration completely or not at all, never over an existing one. */
    MigrationFile write(String version, String name, String content, boolean executeInTransaction) throws IOException;

    /** Replaces a pending migration by its new version, such that a crash never leaves two of them or none. */
    MigrationFile replace(Path old, String version, String name, String content, boolean executeInTransaction)
            throws IOException;

    /** The history table, in the schema Flyway uses (the first of the search_path): whether the database is adopted. */
    String historyTable();

    /** How this layout's history is read and recorded, with {@code flyway} executing. */
    MigrationHistory history(FlywayEngine flyway);

    /** @return why no migration may be written into the folder as it is now; null when one may */
    default String refusesWriting(MigrationSnapshot snapshot) {
        return null;
    }

    /** Where a migration that must run outside a transaction says so, for create_migration's answer. */
    default String nonTransactionalNote(String path) {
        return "executeInTransaction=false in " + path + ".conf";
    }

    static MigrationLayout of(Config.Migrations migrations) {
        return switch (migrations.layout()) {
            case FLYWAY -> new MigrationFolder(migrations.dir());
            case PRISMA -> new PrismaFolder(migrations.dir());
        };
    }
}
