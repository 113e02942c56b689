package dev.safemigrate.db;

import java.util.List;

/**
 * What running the pending migrations inside a rolled-back transaction showed.
 *
 * @param schemaDiff the whole change, from before the first statement to after the last that ran
 */
public record DryRunResult(boolean success, int statementsExecuted, List<TracedStatement> statements,
                           List<Skipped> notDryRunnable, Failure failure, SchemaDiff schemaDiff,
                           List<DataAtRisk> dataAtRisk) {

    /**
     * @param rowsAffected the update count of a DML statement, null for DDL
     * @param newLocks     relation locks this statement added; all are held until the transaction ends
     * @param rewrites     tables whose storage this statement replaced
     */
    public record TracedStatement(String version, int index, int line, Long rowsAffected, long durationMs,
                                  List<HeldLock> newLocks, List<String> rewrites, SchemaDiff diff) {}

    /**
     * Data a statement destroys or changes: rows and values it drops, counted before it ran; rows it
     * or the code it ran updated or deleted in tables that existed before the dry run, counted by
     * PostgreSQL as it ran ({@link RowChangeCounter}).
     *
     * @param what table_rows | column_values | truncated_rows | deleted_rows | updated_rows | rewritten_rows
     */
    public record DataAtRisk(String version, int index, int line, String object, String what, long rows) {}

    public record Skipped(String version, String file, int index, int line, String reason) {}

    /** @param position 1-based character position within the statement, when PostgreSQL gives one */
    public record Failure(String version, String file, int index, int line, String sqlstate, String message,
                          Integer position, String statement) {}
}
