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
     * @param plainDml      null, unless the analysis read it as an INSERT, UPDATE or DELETE that returns
     *                      no rows and runs no code it can see ({@code StatementAnalysis.plainDml}): then
     *                      its kind and targets as the analysis read them ("insert t"), and the dry run may
     *                      execute it in one round trip with its neighbours ({@link StatementRun})
     */
    public record Step(int index, int line, String sql, boolean transactional, String whyNotTransactional,
                       String plainDml) {

        /** A statement the dry run always traces alone. */
        public Step(int index, int line, String sql, boolean transactional, String whyNotTransactional) {
            this(index, line, sql, transactional, whyNotTransactional, null);
        }

        /** The {@link #plainDml} value for a statement of this kind and these targets. */
        public static String plainDml(String kind, List<String> targets) {
            return kind + " " + String.join(",", targets);
        }
    }
}
