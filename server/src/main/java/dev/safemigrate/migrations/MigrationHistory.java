package dev.safemigrate.migrations;

import java.util.List;

/**
 * What the database records as applied, joined with a snapshot of the folder, and the applying of
 * what is pending. Flyway executes in every layout; what differs is the history it is read from and
 * recorded in: Flyway's own ({@link FlywayEngine}) or the team's tool's ({@link PrismaHistory}).
 */
public interface MigrationHistory {

    /** Every migration of the snapshot and of the history, joined, in version order. */
    List<Migration> info(MigrationSnapshot snapshot);

    /** @return why the snapshot must not be applied to this history; empty when it may */
    List<ValidationProblem> validate(MigrationSnapshot snapshot);

    /** Applies the snapshot's pending migrations up to {@code target} (all when null). Throws FlywayException on failure. */
    List<AppliedMigration> migrate(MigrationSnapshot snapshot, String target, FlywayEngine.Progress progress);
}
