package dev.safemigrate.migrations;

import java.time.Instant;

/**
 * One migration as Flyway sees it, with the state names the tools publish:
 * applied | pending | failed | missing | outdated | future | ignored.
 */
public record MigrationState(String version, String description, String type, String state, Integer checksum,
                             Instant installedOn, Integer executionMs, String script) {

    public boolean isApplied() {
        return "applied".equals(state) || "failed".equals(state) || "future".equals(state) || "missing".equals(state);
    }
}
