package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import org.postgresql.core.BaseConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import dev.safemigrate.config.DurationSetting;

/**
 * Runs pending migrations for real inside one transaction and rolls back, watching each
 * statement: the catalog before and after (what it created, dropped, altered), the relation
 * locks it added, the tables it rewrote, the rows it or the code it ran changed
 * ({@link RowChangeCounter}), and the data it destroys.
 * PostgreSQL's DDL is transactional, so this is ground truth on the real data, with no shadow
 * database. To count what a statement destroys, it runs under a savepoint; when the catalog
 * shows it dropped a table or column (or truncated), it is rolled back to the savepoint, the
 * doomed rows and values are counted, and it runs again.
 */
public final class DryRunTracer {

    private static final Pattern TRUNCATE = Pattern.compile("(?is)\\s*truncate\\b.*");

    /**
     * After a statement, in one round trip: the migration's search_path (to put back), the path
     * pinned for our reads, and the catalog write counters. The query is parsed under the
     * migration's path, so every function, operator and type in it is qualified: nothing a
     * migration creates can stand in for them.
     */
    private static final String PIN_AND_COUNT = "select pg_catalog.current_setting('search_path'), "
            + "pg_catalog.set_config('search_path', '" + CatalogSearchPath.PINNED + "', true), (" + CatalogWrites.QUERY + ")";

    /** With the counters, the catalog rows the statement wrote, from the catalogs whose counters moved. */
    private static final String PIN_COUNT_CHANGES = PIN_AND_COUNT + ";\n" + CatalogChanges.QUERY;

    /**
     * Before the next statement, in one round trip: this statement's savepoint released, the locks
     * it added and the rows changed so far (one copy of pg_locks, {@link LockScan}; read under the
     * pinned path, after the release because a release can lower the row counters: see
     * {@link RowChangeCounter}), the migration's path put back and the next statement's savepoint
     * taken. A savepoint left over at the end is undone with the rest by the rollback.
     */
    private static final String LOCKS_RESTORE_NEXT = "release savepoint sm_step;\n" + LockScan.QUERY + ";\n"
            + "select pg_catalog.set_config('search_path', ?, true), " + RowChangeCounter.TRACKING + ";\nsavepoint sm_step";

    private DryRunTracer() {}

    public static DryRunResult run(ConnectionSettings settings, List<ScriptToRun> scripts, Duration lockTimeout,
                                   Duration statementTimeout) throws SQLException {
        return run(settings, scripts, lockTimeout, statementTimeout, TrackedCatalog.Reads.TARGETED, fullReads -> {});
    }

    /**
     * @param reads     {@link TrackedCatalog.Reads#FULL} only for tests that hold the targeted reads to the full ones
     * @param fullReads told how many times the whole schema was read, for those tests
     */
    static DryRunResult run(ConnectionSettings settings, List<ScriptToRun> scripts, Duration lockTimeout,
                            Duration statementTimeout, TrackedCatalog.Reads reads, IntConsumer fullReads)
            throws SQLException {
        try (Connection c = settings.open()) {
            c.setAutoCommit(false);
            // pgjdbc forgets its server-side prepared statements whenever a CREATE, DROP or ALTER
            // completes, which in a migration is after nearly every statement: the trace's own
            // queries would be parsed and planned again each time (planning the catalog-changes
            // query alone costs more than most statements). They read only catalogs whose shape
            // no migration can change, so their plans stay valid (PostgreSQL re-plans them itself
            // when an object they use changes); the migration's own statements are never
            // prepared on the server (see Trace#execute), so none of them can meet a stale result type.
            c.unwrap(BaseConnection.class).getQueryExecutor().setFlushCacheOnDdl(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + DurationSetting.toPostgres(lockTimeout) + "'");
                s.execute("SET LOCAL statement_timeout = '" + DurationSetting.toPostgres(statementTimeout) + "'");
            }
            try {
                Trace trace = new Trace(c, reads);
                try {
                    return trace.run(scripts);
                } finally {
                    fullReads.accept(trace.catalog == null ? 0 : trace.catalog.fullReads());
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** One dry run on one connection. */
    private static final class Trace {
        private final Connection c;
        private final List<DryRunResult.TracedStatement> traced = new ArrayList<>();
        private final List<DryRunResult.Skipped> skipped = new ArrayList<>();
        private final List<DryRunResult.DataAtRisk> atRisk = new ArrayList<>();
        private final TrackedCatalog.Reads reads;
        /**
         * The transaction's catalog write counters after the last statement. Reading the catalog
         * after every statement costs time, which a migration of thousands of INSERTs would pay
         * thousands of times; the counters cost one query, still catch DDL hidden in functions and
         * triggers, and say which catalogs to look at.
         */
        private CatalogWrites writes;
        /** The catalog rows the last statement wrote, read with {@link #writes}. */
        private CatalogChanges changes;
        private TrackedCatalog catalog;
        private final LockScan.Reading lockReading = new LockScan.Reading(new HeldLock.Known());
        private RowChangeCounter rowChanges;
        /** The row counters read with the locks after the last statement. */
        private final java.util.Map<Long, RowChangeCounter.Counts> rowCounts = new java.util.HashMap<>();

        /**
         * The trace's own statements, kept for the whole dry run: pgjdbc then executes them as
         * server-side prepared statements, whose plans PostgreSQL keeps.
         */
        private final java.util.Map<String, java.sql.PreparedStatement> prepared = new java.util.HashMap<>();
        /** For the migration's statements: see {@link #execute}. */
        private Statement migration;

        Trace(Connection c, TrackedCatalog.Reads reads) {
            this.c = c;
            this.reads = reads;
        }

        private java.sql.PreparedStatement prepared(String sql) throws SQLException {
            java.sql.PreparedStatement s = prepared.get(sql);
            if (s == null) {
                s = c.prepareStatement(sql);
                prepared.put(sql, s);
            }
            return s;
        }

        DryRunResult run(List<ScriptToRun> scripts) throws SQLException {
            String migrationPath = CatalogSearchPath.pinLocal(c);
            catalog = TrackedCatalog.start(c, reads);
            CatalogSnapshot first = catalog.snapshot();
            writes = catalogWrites();
            java.sql.PreparedStatement locks = prepared(LockScan.QUERY);
            LockScan.parameters(locks, 1, lockReading);
            try (ResultSet rs = locks.executeQuery()) {
                lockReading.read(rs, catalog.relationNames(), new java.util.HashMap<>());
            }
            rowChanges = RowChangeCounter.start(c);
            lockReading.countOnly(rowChanges.preExisting());
            CatalogSearchPath.restoreLocal(c, migrationPath);
            sql("savepoint sm_step");
            for (ScriptToRun script : scripts) {
                for (ScriptToRun.Step step : script.statements()) {
                    if (!step.transactional()) {
                        skipped.add(new DryRunResult.Skipped(script.version(), script.file(), step.index(), step.line(),
                                step.whyNotTransactional()));
                        continue;
                    }
                    try {
                        trace(script, step);
                    } catch (SQLException e) {
                        catalog.undoStatement(); // the whole diff ends before the statement that failed
                        return result(false, failure(script, step, e), first);
                    }
                }
            }
            return result(true, null, first);
        }

        /** @param first the catalog before the first statement; the last one that ran may have failed, and is undone */
        private DryRunResult result(boolean success, DryRunResult.Failure failure, CatalogSnapshot first) {
            return new DryRunResult(success, traced.size(), traced, skipped, failure,
                    SchemaDiff.between(first, catalog.snapshot()), atRisk);
        }

        private void trace(ScriptToRun script, ScriptToRun.Step step) throws SQLException {
            // locks last until the transaction ends: what was held after the last statement is held now.
            // The statement runs under the savepoint sm_step, taken when the previous one was released.
            catalog.beginStatement();
            long started = System.nanoTime();
            Long rows = execute(step.sql());
            long durationMs = (System.nanoTime() - started) / 1_000_000;
            // our reads run under a pinned search_path; the migration's own path (which its
            // statement may just have set) is put back before its next statement runs
            CatalogWrites writesBefore = writes;
            String migrationPath = pinAndCountWrites();
            SchemaDiff diff = catalog.afterStatement(c, writesBefore, writes, changes);
            boolean truncates = TRUNCATE.matcher(step.sql()).matches();
            java.util.Map<Long, RowChangeCounter.Counts> firstRun = null;
            if (!diff.droppedData().isEmpty() || (truncates && !diff.rewritten().isEmpty())) {
                // count what the statement destroys while it still exists, then run it again; the
                // counting runs in a subtransaction rolled back at once, so its locks are not reported.
                // Each rollback also undoes the pin: the statement runs again under the migration's path.
                firstRun = RowChangeCounter.read(c);
                sql("rollback to savepoint sm_step");
                catalog.undoStatement();
                sql("savepoint sm_count");
                CatalogSearchPath.pinLocal(c);
                countDoomed(script, step, diff, truncates);
                sql("rollback to savepoint sm_count");
                sql("release savepoint sm_count");
                rows = execute(step.sql());
                CatalogWrites writesBeforeAgain = writes;
                migrationPath = pinAndCountWrites();
                catalog.afterStatement(c, writesBeforeAgain, writes, changes);
            }
            if (!truncates) {
                countRewritten(script, step, diff);
            }
            List<HeldLock> added = locksRestoreNext(catalog.relationNames(), migrationPath);
            for (RowChangeCounter.Change change : rowChanges.settle(firstRun, rowCounts)) {
                atRisk(script, step, "table " + change.table(), change.what(), change.rows());
            }
            traced.add(new DryRunResult.TracedStatement(script.version(), step.index(), step.line(), rows, durationMs,
                    added, truncates ? List.of() : diff.rewritten(), diff));
        }

        /** @return the migration's search_path; sets {@link #writes} and {@link #changes} */
        private String pinAndCountWrites() throws SQLException {
            java.sql.PreparedStatement s = prepared(PIN_COUNT_CHANGES);
            CatalogChanges.parameters(s, 1, catalog.floor(), writes);
            s.execute();
            String migrationPath;
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                migrationPath = rs.getString(1);
                writes = CatalogWrites.from(rs.getArray(3));
            }
            if (!s.getMoreResults()) {
                throw new SQLException("the catalog changes were not returned");
            }
            try (ResultSet rs = s.getResultSet()) {
                changes = CatalogChanges.read(rs, catalog.floor());
            }
            return migrationPath;
        }

        /** @return the locks the statement added */
        private List<HeldLock> locksRestoreNext(java.util.Map<Long, String> names, String migrationPath) throws SQLException {
            java.sql.PreparedStatement s = prepared(LOCKS_RESTORE_NEXT);
            LockScan.parameters(s, 1, lockReading);
            s.setString(5, migrationPath);
            s.execute();   // the release: no rows
            if (!s.getMoreResults()) {
                throw new SQLException("the lock query after the release returned no rows");
            }
            List<HeldLock> added;
            try (ResultSet rs = s.getResultSet()) {
                added = lockReading.read(rs, names, rowCounts);
            }
            s.getMoreResults();
            try (ResultSet rs = s.getResultSet()) {
                RowChangeCounter.requireTracking(rs, 2);
            }
            return added;
        }

        private void sql(String sql) throws SQLException {
            prepared(sql).execute();
        }

        private CatalogWrites catalogWrites() throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CatalogWrites.QUERY)) {
                rs.next();
                return CatalogWrites.from(rs.getArray(1));
            }
        }

        /**
         * A plain {@code Statement}: pgjdbc never prepares its text on the server (only a
         * PreparedStatement's, after a few runs), so a migration that repeats a {@code select *}
         * across an ALTER of its table cannot meet "cached plan must not change result type",
         * although the trace's own statements stay prepared across DDL.
         */
        private Long execute(String sql) throws SQLException {
            if (migration == null) {
                migration = c.createStatement();
            }
            boolean resultSet = migration.execute(sql);
            long count = resultSet ? -1 : migration.getLargeUpdateCount();
            return count < 0 ? null : count;
        }

        private void countDoomed(ScriptToRun script, ScriptToRun.Step step, SchemaDiff diff, boolean truncates)
                throws SQLException {
            for (String object : diff.droppedData()) {
                if (object.startsWith("column ")) {
                    String[] parts = object.substring("column ".length()).split("\\.", 3);
                    long values = count("select pg_catalog.count(" + SchemaCatalog.quoteIdent(parts[2]) + ") from "
                            + qualified(parts[0], parts[1]));
                    atRisk(script, step, object, "column_values", values);
                } else {
                    String[] parts = object.replaceFirst("^(table|materialized view) ", "").split("\\.", 2);
                    atRisk(script, step, object, "table_rows", count("select pg_catalog.count(*) from " + qualified(parts[0], parts[1])));
                }
            }
            if (truncates) {
                for (String table : diff.rewritten()) {
                    String[] parts = table.split("\\.", 2);
                    atRisk(script, step, "table " + table, "truncated_rows",
                            count("select pg_catalog.count(*) from " + qualified(parts[0], parts[1])));
                }
            }
        }

        /**
         * A rewrite copies every row under an ACCESS EXCLUSIVE lock: harmless on an empty table,
         * a question for a person on one with rows. The statement already read the whole table
         * and holds its lock, so counting adds no lock and at most the cost of the rewrite.
         */
        private void countRewritten(ScriptToRun script, ScriptToRun.Step step, SchemaDiff diff) throws SQLException {
            for (String table : diff.rewritten()) {
                String[] parts = table.split("\\.", 2);
                long rows = count("select pg_catalog.count(*) from " + qualified(parts[0], parts[1]));
                if (rows > 0) {
                    atRisk(script, step, "table " + table, "rewritten_rows", rows);
                }
            }
        }

        private void atRisk(ScriptToRun script, ScriptToRun.Step step, String object, String what, long rows) {
            atRisk.add(new DryRunResult.DataAtRisk(script.version(), step.index(), step.line(), object, what, rows));
        }

        private long count(String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static String qualified(String schema, String name) {
            return SchemaCatalog.quoteIdent(schema) + "." + SchemaCatalog.quoteIdent(name);
        }

        private static DryRunResult.Failure failure(ScriptToRun script, ScriptToRun.Step step, SQLException e) {
            Integer position = null;
            String message = e.getMessage();
            if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
                ServerErrorMessage m = p.getServerErrorMessage();
                message = m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
                position = m.getPosition() > 0 ? m.getPosition() : null;
            }
            int line = step.line();
            if (position != null) {
                line += (int) step.sql().substring(0, Math.min(position - 1, step.sql().length())).chars()
                        .filter(ch -> ch == '\n').count();
            }
            return new DryRunResult.Failure(script.version(), script.file(), step.index(), line, e.getSQLState(), message,
                    position, step.sql());
        }
    }
}
