package dev.safemigrate.db;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Consecutive plain DML statements ({@link ScriptToRun.Step#plainDml}) sent to PostgreSQL in one
 * round trip. A migration of thousands of INSERTs spends its dry run waiting on round trips, three
 * per statement when each is traced alone; a run costs three round trips however many statements
 * it holds. The tracer keeps a run's result only where it is provably what tracing each statement
 * alone gives (see {@code DryRunTracer}); otherwise it rolls the run back and traces one by one.
 *
 * <p>What executes is what was analysed: pgjdbc builds a batch entry of {@code Statement.addBatch(sql)}
 * exactly as it builds the query of {@code Statement.execute(sql)} ({@code createQuery(sql,
 * replaceProcessingEnabled, isParameterized = false)} with no returning columns, the same key to the
 * same factory, in pgjdbc 42.7), and sends each entry as its own Parse/Bind/Execute, with one Sync
 * after the last. It refuses an entry it would split in two. {@code StatementRunTest} compares the
 * text the server received ({@code current_query()}) for both ways on generated statements with
 * {@code ?}, {@code ??}, escapes and quotes.
 */
final class StatementRun {

    private StatementRun() {}

    /**
     * Executes the statements in order, in one round trip, under whatever savepoint the caller took.
     *
     * @return each statement's row count, null where pgjdbc reports none
     * @throws SQLException when any statement failed or returned rows: the run's effects must be rolled back
     */
    static Long[] execute(Statement s, List<String> statements) throws SQLException {
        try {
            for (String sql : statements) {
                s.addBatch(sql);
            }
            long[] counts = s.executeLargeBatch();
            if (counts.length != statements.size()) {
                throw new SQLException("the run returned " + counts.length + " row counts for " + statements.size()
                        + " statements");
            }
            Long[] rows = new Long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                rows[i] = counts[i] < 0 ? null : counts[i];
            }
            return rows;
        } finally {
            s.clearBatch();
        }
    }

    /**
     * How many statements the next run may hold. A run that is kept doubles the next; one rolled
     * back costs its execution and a round trip, so after one the runs shrink, and when even short
     * runs fail (a backfill whose every UPDATE changes existing rows, an INSERT that creates a table
     * through a trigger) statements are traced alone for a while that doubles with each failure.
     * A workload whose runs always fail thus pays a few per cent over tracing alone.
     */
    static final class Length {
        static final int FIRST = 8;
        static final int MAX = 256;
        private static final int MAX_ALONE = 64;

        private int length = FIRST;
        private int alone;
        private int backoff = 1;

        /** @return at most this many statements in the next run; 1: trace the next one alone */
        int next() {
            return alone > 0 ? 1 : length;
        }

        /** A statement that could have joined a run was traced alone. */
        void tracedAlone() {
            if (alone > 0) {
                alone--;
            }
        }

        void kept() {
            length = Math.min(MAX, length * 2);
            backoff = 1;
        }

        void rolledBack() {
            if (length <= 2) {
                alone = backoff;
                backoff = Math.min(MAX_ALONE, backoff * 2);
            }
            length = Math.max(2, length / 4);
        }
    }
}
