package dev.safemigrate.migrations;

import java.time.Instant;
import java.util.Optional;

import org.flywaydb.core.api.MigrationVersion;

/**
 * One migration: the file in the snapshot (absent when an applied migration's file is missing)
 * joined with its row in Flyway's history (absent while pending).
 *
 * @param recorded whether {@code flyway_schema_history} has a row for it: such a migration is
 *                 immutable, whatever its state, and its file is never deleted or rewritten
 */
public record Migration(MigrationVersion version, String description, String type, MigrationState state,
                        Optional<MigrationSnapshot.SnapshotFile> file, Integer checksum, Instant installedOn,
                        Integer executionMs, boolean recorded) {

    public String versionText() {
        return version.getVersion();
    }

    public boolean pending() {
        return state == MigrationState.PENDING && !recorded;
    }
}
