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
     * After a statement, in one round trip: the migration's settings (to put back), ours pinned for
     * our reads ({@link TraceSettings}), and the catalog write counters. The query is parsed under
     * the migration's path, so every function, operator and type in it is qualified: nothing a
     * migration creates can stand in for them.
     */
    private static final String PIN_AND_COUNT = "select " + TraceSettings.PIN + ", (" + CatalogWrites.QUERY + ")";

    /** {@link #PIN_AND_COUNT}'s column of the write counters. */
    private static final int WRITES = TraceSettings.PIN_COLUMNS + 1;

    /** With the counters, the catalog rows the statement wrote, from the catalogs whose counters moved. */
    private static final String PIN_COUNT_CHANGES = PIN_AND_COUNT + ";\n" + CatalogChanges.QUERY;

    /**
     * Before the next statement, in one round trip: this statement's savepoint released, the locks
     * it added and the rows changed so far (one copy of pg_locks, {@link LockScan}; read under the
     * pinned path, after the release because a release can lower the row counters: see
     * {@link RowChangeCounter}), the migration's settings put back and the next statement's savepoint
     * taken. A savepoint left over at the end is undone with the rest by the rollback.
     */
    private static final String LOCKS_RESTORE_NEXT = "release savepoint sm_step;\n" + LockScan.QUERY + ";\n"
            + "select " + RowChangeCounter.TRACKING + ", " + TraceSettings.RESTORE + ";\nsavepoint sm_step";

    /**
     * After a run of statements ({@link StatementRun}), in one round trip: what
     * {@link #PIN_AND_COUNT} reads after one statement (not the catalog changes: a run is kept only
     * if it wrote no catalog row, so it has none), the locks and row counters
     * ({@link LockScan}, read before the run's savepoint is released, since the run may still be
     * rolled back: its locks and counters show in pg_locks and in the transaction's counters while
     * the subtransaction lives, and a run that writes no catalog row truncates nothing, so the release
     * would not lower them), and whether counting is on and was not SET by this transaction:
     * a statement that turned it off and a later one of the run that turned it on again would leave
     * a reading of "on", where tracing alone fails at the first.
     */
    private static final String AFTER_RUN = PIN_AND_COUNT + ";\n" + LockScan.QUERY + ";\nselect "
            + RowChangeCounter.TRACKING + ", (select s.source from pg_catalog.pg_settings s"
            + " where s.name operator(pg_catalog.=) 'track_counts')";

    /** A run kept: its savepoint released, the migration's settings put back and the next statement's savepoint taken. */
    private static final String KEEP_RUN = "release savepoint sm_step;\nselect " + TraceSettings.RESTORE + ";\nsavepoint sm_step";

    /**
     * A run undone: rolled back to its savepoint (which puts back the migration's settings), the
     * counters read again, since what the run did stays counted ({@link RowChangeCounter#rebase}),
     * and the locks, which must be those known before the run ({@link Trace.LocksLeftBehind}).
     */
    private static final String UNDO_RUN = "rollback to savepoint sm_step;\n" + CatalogWrites.QUERY + ";\n"
            + RowChangeCounter.ALL_TABLES + ";\n" + LockScan.QUERY;

    /**
     * A statement that drops or rewrites undone, in one round trip, to count what it destroys: the
     * rows it changed read first (its run stays counted: see {@link RowChangeCounter}), rolled back
     * to its savepoint (which also undoes the pin), a savepoint for the counting, and the
     * search_path pinned for the counting queries.
     */
    private static final String UNDO_TO_COUNT = RowChangeCounter.QUERY + ";\nrollback to savepoint sm_step;\nsavepoint sm_count;\n"
            + "select " + CatalogSearchPath.PIN_LOCAL;

    /** The counting undone, in one round trip: the statement runs again under the migration's settings. */
    private static final String COUNTED = "rollback to savepoint sm_count;\nrelease savepoint sm_count";

    /** How the statements are executed; {@link #ALONE} is the reference the tests hold runs to. */
    enum Runs { BATCHED, ALONE }

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
        return run(settings, scripts, lockTimeout, statementTimeout, reads, fullReads, Runs.BATCHED, kept -> {});
    }

    /**
     * @param runs {@link Runs#ALONE} only for tests that hold runs to tracing each statement alone
     * @param kept told how many statements ran in runs that were kept, for those tests
     */
    static DryRunResult run(ConnectionSettings settings, List<ScriptToRun> scripts, Duration lockTimeout,
                            Duration statementTimeout, TrackedCatalog.Reads reads, IntConsumer fullReads, Runs runs,
                            IntConsumer kept) throws SQLException {
        for (Runs mode = runs; ; mode = Runs.ALONE) {
            // a new session for a new attempt: a rolled-back run's nextval() also defined currval() for the session
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
                    Trace trace = new Trace(c, reads, mode);
                    try {
                        return trace.run(scripts);
                    } catch (Trace.LocksLeftBehind e) {
                        // rare (see LocksLeftBehind): the whole dry run again, every statement alone
                    } finally {
                        fullReads.accept(trace.catalog == null ? 0 : trace.catalog.fullReads());
                        kept.accept(trace.keptStatements);
                    }
                } finally {
                    c.rollback();
                }
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

        private final Runs runs;
        private final StatementRun.Length lengths = new StatementRun.Length();
        private int keptStatements;

        /**
         * The plain DML shapes ({@link ScriptToRun.Step#plainDml}) traced since the last statement
         * that was not plain DML. A statement joins a run only once one of its shape ran: the first
         * INSERT into a table takes new locks (the table, its indexes, its sequence, the tables its
         * foreign keys point to), which would make the run roll back, and a rolled-back run may
         * leave locks behind ({@link LocksLeftBehind}).
         */
        private final java.util.Set<String> shapesSeen = new java.util.HashSet<>();

        /**
         * A rolled-back run left a lock behind that no statement has been seen to take: nextval()
         * locks a sequence for the whole transaction, not for the subtransaction that called it, so
         * rolling back does not release it, and the statement traced alone that would have taken it
         * finds it held. The lock cannot be attributed, so the dry run starts again with every
         * statement traced alone. The shapes above keep this rare: a statement joins a run only
         * after one like it ran, which took its table's sequence then.
         */
        static final class LocksLeftBehind extends RuntimeException {
            LocksLeftBehind() {
                super(null, null, false, false);
            }
        }

        /** A statement with its migration, in the order they run. */
        private record Planned(ScriptToRun script, ScriptToRun.Step step) {}

        Trace(Connection c, TrackedCatalog.Reads reads, Runs runs) {
            this.c = c;
            this.reads = reads;
            this.runs = runs;
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
            List<Planned> planned = new ArrayList<>();
            for (ScriptToRun script : scripts) {
                for (ScriptToRun.Step step : script.statements()) {
                    planned.add(new Planned(script, step));
                }
            }
            for (int i = 0; i < planned.size(); i++) {
                ScriptToRun script = planned.get(i).script();
                ScriptToRun.Step step = planned.get(i).step();
                if (!step.transactional()) {
                    skipped.add(new DryRunResult.Skipped(script.version(), script.file(), step.index(), step.line(),
                            step.whyNotTransactional()));
                    shapesSeen.clear();
                    continue;
                }
                int run = runFrom(planned, i);
                if (run >= 2 && keptRun(planned.subList(i, i + run))) {
                    i += run - 1;
                    continue;
                }
                if (run == 1) {
                    lengths.tracedAlone();
                }
                try {
                    trace(script, step);
                } catch (SQLException e) {
                    catalog.undoStatement(); // the whole diff ends before the statement that failed
                    return result(false, failure(script, step, e), first);
                }
                if (step.plainDml() == null) {
                    // DDL may add a trigger, a default or a foreign key that the next INSERT sets off
                    shapesSeen.clear();
                } else {
                    shapesSeen.add(step.plainDml());
                }
            }
            return result(true, null, first);
        }

        /** @return how many plain DML statements from {@code i} on may run together; 0 when the statement may not join a run */
        private int runFrom(List<Planned> planned, int i) {
            if (runs == Runs.ALONE || !joins(planned.get(i).step())) {
                return 0;
            }
            int max = Math.min(planned.size(), i + lengths.next());
            int end = i + 1;
            while (end < max && joins(planned.get(end).step())) {
                end++;
            }
            return end - i;
        }

        private boolean joins(ScriptToRun.Step step) {
            return step.plainDml() != null && step.transactional() && shapesSeen.contains(step.plainDml());
        }

        /**
         * Executes a run of plain DML statements in one round trip under the savepoint sm_step, and
         * keeps it only where tracing each statement alone provably gives the same: no catalog write
         * (so no statement created, dropped, altered, rewrote or truncated anything, and none has a
         * diff), no new lock (so none added one), no row changed in a table that existed before (so
         * none has data at risk), counting on and not SET by the transaction, and no error. Each
         * statement then has its own row count, no lock, no rewrite, no change and no data at risk,
         * as alone. Anything else, and the run is rolled back to the savepoint, which leaves the
         * trace as it was before it, and its first statement is traced alone.
         *
         * @return whether the run was kept
         */
        private boolean keptRun(List<Planned> run) throws SQLException {
            catalog.beginStatement();
            List<String> sql = run.stream().map(p -> p.step().sql()).toList();
            long started = System.nanoTime();
            Long[] rows;
            TraceSettings migrationSettings;
            CatalogWrites writesBefore = writes;
            java.util.Map<Long, RowChangeCounter.Counts> counts = new java.util.HashMap<>();
            long durationNs;
            try {
                rows = StatementRun.execute(migration(), sql);
                durationNs = System.nanoTime() - started;
                java.sql.PreparedStatement s = prepared(AFTER_RUN);
                LockScan.parameters(s, 1, lockReading);
                s.execute();
                migrationSettings = readPinAndCount(s);
                changes = CatalogChanges.none(catalog.floor());
                s.getMoreResults();
                boolean noNewLock;
                try (ResultSet rs = s.getResultSet()) {
                    noNewLock = lockReading.readIfNoneNew(rs, counts);
                }
                s.getMoreResults();
                boolean counting;
                try (ResultSet rs = s.getResultSet()) {
                    counting = rs.next() && "on".equals(rs.getString(1)) && !"session".equals(rs.getString(2));
                }
                if (writes.changedSince(writesBefore) || !noNewLock || !counting || rowChanges.anyChange(counts)) {
                    undoRun();
                    return false;
                }
            } catch (SQLException e) {
                // the statement that failed fails again when traced alone, and is reported as today
                undoRun();
                return false;
            }
            java.sql.PreparedStatement keep = prepared(KEEP_RUN);
            migrationSettings.parameters(keep, 1);
            keep.execute();
            lengths.kept();
            keptStatements += run.size();
            rowCounts.clear();
            rowCounts.putAll(counts);
            rowChanges.settle(null, rowCounts);   // no change, checked above: only the baseline moves
            for (int k = 0; k < run.size(); k++) {
                Planned p = run.get(k);
                if (k > 0) {
                    catalog.beginStatement();
                }
                SchemaDiff diff = catalog.afterStatement(c, writesBefore, writes, changes);
                // the run's time shared out, so that the statements' durations add up to it
                long durationMs = (durationNs * (k + 1) / run.size() - durationNs * k / run.size()) / 1_000_000;
                traced.add(new DryRunResult.TracedStatement(p.script().version(), p.step().index(), p.step().line(),
                        rows[k], durationMs, List.of(), diff.rewritten(), diff));
            }
            return true;
        }

        /** Rolls a run back to its savepoint; see {@link #UNDO_RUN}. */
        private void undoRun() throws SQLException {
            lengths.rolledBack();
            java.sql.PreparedStatement s = prepared(UNDO_RUN);
            LockScan.parameters(s, 1, lockReading);
            s.execute();
            s.getMoreResults();
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                writes = CatalogWrites.from(rs.getArray(1));
            }
            s.getMoreResults();
            try (ResultSet rs = s.getResultSet()) {
                rowChanges.rebase(rs);
            }
            s.getMoreResults();
            try (ResultSet rs = s.getResultSet()) {
                if (!lockReading.readIfNoneNew(rs, new java.util.HashMap<>())) {
                    throw new LocksLeftBehind();
                }
            }
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
            // our reads run under pinned settings (TraceSettings); the migration's own (which its
            // statement may just have set) are put back before its next statement runs
            CatalogWrites writesBefore = writes;
            TraceSettings migrationSettings = pinAndCountWrites(step);
            SchemaDiff diff = catalog.afterStatement(c, writesBefore, writes, changes);
            boolean truncates = TRUNCATE.matcher(step.sql()).matches();
            java.util.Map<Long, RowChangeCounter.Counts> firstRun = null;
            java.util.Map<String, Long> rowsBeforeRewrite = java.util.Map.of();
            if (!diff.droppedData().isEmpty() || !diff.rewritten().isEmpty()) {
                // count what the statement destroys while it still exists, then run it again; the
                // counting runs in a subtransaction rolled back at once, so its locks are not reported.
                // Each rollback also undoes the pin: the statement runs again under the migration's path.
                // Every rewrite is counted before it runs, not only a TRUNCATE's: a TRUNCATE in a
                // function or a trigger moves no row counter, and leaves a rewritten, empty table.
                firstRun = new java.util.HashMap<>();
                java.sql.PreparedStatement undo = prepared(UNDO_TO_COUNT);
                undo.execute();
                try (ResultSet rs = undo.getResultSet()) {
                    RowChangeCounter.readAll(rs, firstRun);
                }
                catalog.undoStatement();
                rowsBeforeRewrite = countDoomed(script, step, diff, truncates);
                sql(COUNTED);
                rows = execute(step.sql());
                CatalogWrites writesBeforeAgain = writes;
                migrationSettings = pinAndCountWrites(step);
                catalog.afterStatement(c, writesBeforeAgain, writes, changes);
            }
            if (!truncates) {
                countRewritten(script, step, diff, rowsBeforeRewrite);
            }
            List<HeldLock> added = locksRestoreNext(catalog.relationNames(), migrationSettings);
            for (RowChangeCounter.Change change : rowChanges.settle(firstRun, rowCounts)) {
                atRisk(script, step, "table " + change.table(), change.what(), change.rows());
            }
            traced.add(new DryRunResult.TracedStatement(script.version(), step.index(), step.line(), rows, durationMs,
                    added, truncates ? List.of() : diff.rewritten(), diff));
        }

        /**
         * After a statement the analysis read as plain DML, the catalog changes are read only if
         * the counters say it wrote a catalog row after all (a trigger's DDL), in a second round
         * trip: a statement that wrote none has none, and the query's Bind alone (setting up its
         * generic plan) costs more than a plain INSERT takes to run.
         *
         * @return the migration's settings; sets {@link #writes} and {@link #changes}
         */
        private TraceSettings pinAndCountWrites(ScriptToRun.Step step) throws SQLException {
            CatalogWrites before = writes;
            if (step.plainDml() == null) {
                java.sql.PreparedStatement s = prepared(PIN_COUNT_CHANGES);
                CatalogChanges.parameters(s, 1, catalog.floor(), before);
                s.execute();
                return readPinCountChanges(s);
            }
            java.sql.PreparedStatement s = prepared(PIN_AND_COUNT);
            s.execute();
            TraceSettings migrationSettings = readPinAndCount(s);
            if (!writes.changedSince(before)) {
                changes = CatalogChanges.none(catalog.floor());
                return migrationSettings;
            }
            java.sql.PreparedStatement read = prepared(CatalogChanges.QUERY);
            CatalogChanges.parameters(read, 1, catalog.floor(), before);
            try (ResultSet rs = read.executeQuery()) {
                changes = CatalogChanges.read(rs, catalog.floor());
            }
            return migrationSettings;
        }

        /**
         * Reads the results of {@link #PIN_COUNT_CHANGES}.
         *
         * @return the migration's settings; sets {@link #writes} and {@link #changes}
         */
        private TraceSettings readPinCountChanges(java.sql.PreparedStatement s) throws SQLException {
            TraceSettings migrationSettings = readPinAndCount(s);
            if (!s.getMoreResults()) {
                throw new SQLException("the catalog changes were not returned");
            }
            try (ResultSet rs = s.getResultSet()) {
                changes = CatalogChanges.read(rs, catalog.floor());
            }
            return migrationSettings;
        }

        /** Reads {@link #PIN_AND_COUNT}'s result: @return the migration's settings; sets {@link #writes} */
        private TraceSettings readPinAndCount(java.sql.PreparedStatement s) throws SQLException {
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                writes = CatalogWrites.from(rs.getArray(WRITES));
                return TraceSettings.read(rs, 1);
            }
        }

        /** @return the locks the statement added */
        private List<HeldLock> locksRestoreNext(java.util.Map<Long, String> names, TraceSettings migrationSettings)
                throws SQLException {
            java.sql.PreparedStatement s = prepared(LOCKS_RESTORE_NEXT);
            migrationSettings.parameters(s, LockScan.parameters(s, 1, lockReading));
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
                RowChangeCounter.requireTracking(rs, 1);
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
            boolean resultSet = migration().execute(sql);
            long count = resultSet ? -1 : migration.getLargeUpdateCount();
            return count < 0 ? null : count;
        }

        private Statement migration() throws SQLException {
            if (migration == null) {
                migration = c.createStatement();
            }
            return migration;
        }

        /** @return the rows of each table the statement rewrites, before it ran (a TRUNCATE's are reported here) */
        private java.util.Map<String, Long> countDoomed(ScriptToRun script, ScriptToRun.Step step, SchemaDiff diff,
                                                         boolean truncates) throws SQLException {
            for (String object : diff.droppedData()) {
                if (object.startsWith("column ")) {
                    String[] parts = object.substring("column ".length()).split("\\.", 3);
                    long values = count("select pg_catalog.count(" + SchemaCatalog.quoteIdent(parts[2]) + ") from "
                            + qualified(parts[0], parts[1]));
                    atRisk(script, step, object, "column_values", values);
                } else {
                    atRisk(script, step, object, "table_rows", rowsOf(object.replaceFirst("^(table|materialized view) ", "")));
                }
            }
            java.util.Map<String, Long> rowsBefore = new java.util.HashMap<>();
            for (String table : diff.rewritten()) {
                long rows = rowsOf(table);
                if (truncates) {
                    atRisk(script, step, "table " + table, "truncated_rows", rows);
                }
                rowsBefore.put(table, rows);
            }
            return rowsBefore;
        }

        /**
         * A rewrite copies every row under an ACCESS EXCLUSIVE lock: harmless on an empty table,
         * a question for a person on one with rows. The statement already read the whole table
         * and holds its lock, so counting adds no lock and at most the cost of the rewrite. A
         * table that had rows and has none after its storage was replaced was truncated (by code
         * the statement ran: a TRUNCATE statement is counted by {@link #countDoomed}); its rows are
         * lost, whatever the counters of deleted rows say.
         *
         * @param rowsBefore each rewritten table's rows before the statement ran
         */
        private void countRewritten(ScriptToRun script, ScriptToRun.Step step, SchemaDiff diff,
                                    java.util.Map<String, Long> rowsBefore) throws SQLException {
            for (String table : diff.rewritten()) {
                long after = rowsOf(table);
                long before = rowsBefore.getOrDefault(table, 0L);
                if (before > 0 && after == 0) {
                    atRisk(script, step, "table " + table, "truncated_rows", before);
                } else if (Math.max(before, after) > 0) {
                    atRisk(script, step, "table " + table, "rewritten_rows", Math.max(before, after));
                }
            }
        }

        private void atRisk(ScriptToRun script, ScriptToRun.Step step, String object, String what, long rows) {
            atRisk.add(new DryRunResult.DataAtRisk(script.version(), step.index(), step.line(), object, what, rows));
        }

        /** @param table "schema.name", as the catalog snapshot names it */
        private long rowsOf(String table) throws SQLException {
            String[] parts = table.split("\\.", 2);
            return count("select pg_catalog.count(*) from " + qualified(parts[0], parts[1]));
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
