package dev.safemigrate.migrations;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A migration's state as the tools publish it, decided in one place from Flyway's own state
 * (which joins the folder snapshot with {@code flyway_schema_history} by Flyway's version).
 */
public enum MigrationState {
    APPLIED, PENDING, FAILED, MISSING, OUTDATED, FUTURE, IGNORED,
    /** The row a person's {@code safemigrate baseline} recorded at a version no file has: a marker, not a migration. */
    BASELINE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @param hasFile whether the snapshot has a file of this version */
    static MigrationState of(org.flywaydb.core.api.MigrationState flyway, boolean hasFile) {
        return switch (flyway) {
            // the marker at a file's version stands for that file (Flyway lists the two as one)
            case BASELINE -> hasFile ? APPLIED : BASELINE;
            // BELOW_BASELINE: a file a person's `safemigrate baseline` recorded as already in the schema
            case SUCCESS, BELOW_BASELINE, OUT_OF_ORDER -> APPLIED;
            case PENDING, ABOVE_TARGET, AVAILABLE -> PENDING;
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> FAILED;
            case MISSING_SUCCESS, DELETED -> MISSING;
            case OUTDATED, SUPERSEDED -> OUTDATED;
            case FUTURE_SUCCESS -> FUTURE;
            default -> IGNORED;
        };
    }
}
