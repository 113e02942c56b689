package dev.safemigrate.db;

import java.util.List;

/** A pending migration prepared for a dry run: its statements, in order. */
public record ScriptToRun(String version, String file, List<Step> statements) {

    public ScriptToRun {
        statements = List.copyOf(statements);
    }

    /**
     * @param index         1-based position of the statement in its migration
     * @param transactional false for statements PostgreSQL refuses inside a transaction
     *                      ({@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, …)
     */
    public record Step(int index, int line, String sql, boolean transactional, String whyNotTransactional) {}
}
