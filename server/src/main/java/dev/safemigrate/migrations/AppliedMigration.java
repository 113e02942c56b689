package dev.safemigrate.migrations;

/** One migration Flyway applied in this run. */
public record AppliedMigration(String version, String description, String script, long executionMs) {}
