package dev.safemigrate.db;

import java.util.List;

/** What running the pending migrations inside a rolled-back transaction showed. */
public record DryRunResult(boolean success, int statementsExecuted, List<StatementOutcome> statements,
                           List<Skipped> notDryRunnable, Failure failure) {

    /** @param rowsAffected the update count of a DML statement, null for DDL */
    public record StatementOutcome(String version, int line, Long rowsAffected, long durationMs) {}

    public record Skipped(String version, String file, int line, String reason) {}

    /** @param position 1-based character position within the statement, when PostgreSQL gives one */
    public record Failure(String version, String file, int line, String sqlstate, String message, Integer position,
                          String statement) {}
}
