package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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

    /** Rows this transaction wrote to the catalogs a CatalogSnapshot is read from. */
    private static final String CATALOG_WRITES = """
            select coalesce(pg_catalog.sum(pg_catalog.pg_stat_get_xact_tuples_inserted(o) operator(pg_catalog.+)
                                pg_catalog.pg_stat_get_xact_tuples_updated(o) operator(pg_catalog.+)
                                pg_catalog.pg_stat_get_xact_tuples_deleted(o)), 0)
            from pg_catalog.unnest('{pg_catalog.pg_namespace,pg_catalog.pg_class,pg_catalog.pg_attribute,
                          pg_catalog.pg_attrdef,pg_catalog.pg_constraint,pg_catalog.pg_index,pg_catalog.pg_proc,
                          pg_catalog.pg_type,pg_catalog.pg_enum,pg_catalog.pg_rewrite}'::pg_catalog.regclass[]) o""";

    /**
     * After a statement, in one round trip: the migration's search_path (to put back), the path
     * pinned for our reads, and the catalog write counter. The query is parsed under the
     * migration's path, so every function, operator and type in it is qualified: nothing a
     * migration creates can stand in for them.
     */
    private static final String PIN_AND_COUNT = "select pg_catalog.current_setting('search_path'), "
            + "pg_catalog.set_config('search_path', '" + CatalogSearchPath.PINNED + "', true), (" + CATALOG_WRITES + ")";

    /**
     * Before the next statement, in one round trip: this statement's savepoint released, the locks
     * now held and the rows changed so far (read under the pinned path, after the release because
     * a release can lower the row counters: see {@link RowChangeCounter}), the migration's path put
     * back and the next statement's savepoint taken. A savepoint left over at the end is undone
     * with the rest by the rollback.
     */
    private static final String LOCKS_RESTORE_NEXT = "release savepoint sm_step;\n" + HeldLock.QUERY + ";\n"
            + "select pg_catalog.set_config('search_path', ?, true), " + RowChangeCounter.TRACKING + ";\nsavepoint sm_step";

    private DryRunTracer() {}

    public static DryRunResult run(ConnectionSettings settings, List<ScriptToRun> scripts, Duration lockTimeout,
                                   Duration statementTimeout) throws SQLException {
        try (Connection c = settings.open()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + DurationSetting.toPostgres(lockTimeout) + "'");
                s.execute("SET LOCAL statement_timeout = '" + DurationSetting.toPostgres(statementTimeout) + "'");
            }
            try {
                return new Trace(c).run(scripts);
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
        private long catalogWrites;
        /**
         * Whether the last statement wrote to any system catalog. Reading the whole catalog after
         * every statement costs milliseconds, which a migration of thousands of INSERTs would pay
         * thousands of times; the transaction's own catalog write counters cost one query and
         * still catch DDL hidden in functions and triggers.
         */
        private boolean catalogChanged;
        private Set<HeldLock> locksHeld;
        private RowChangeCounter rowChanges;
        /** The row counters read with {@link #locksHeld}. */
        private final java.util.Map<Long, RowChangeCounter.Counts> rowCounts = new java.util.HashMap<>();

        Trace(Connection c) {
            this.c = c;
        }

        DryRunResult run(List<ScriptToRun> scripts) throws SQLException {
            String migrationPath = CatalogSearchPath.pinLocal(c);
            CatalogSnapshot first = CatalogReader.read(c);
            catalogWrites = catalogWrites();
            locksHeld = HeldLock.read(c, first.relationNames());
            rowChanges = RowChangeCounter.start(c);
            CatalogSearchPath.restoreLocal(c, migrationPath);
            sql("savepoint sm_step");
            CatalogSnapshot current = first;
            for (ScriptToRun script : scripts) {
                for (ScriptToRun.Step step : script.statements()) {
                    if (!step.transactional()) {
                        skipped.add(new DryRunResult.Skipped(script.version(), script.file(), step.index(), step.line(),
                                step.whyNotTransactional()));
                        continue;
                    }
                    try {
                        current = trace(script, step, current);
                    } catch (SQLException e) {
                        return result(false, failure(script, step, e), first, current);
                    }
                }
            }
            return result(true, null, first, current);
        }

        private DryRunResult result(boolean success, DryRunResult.Failure failure, CatalogSnapshot first,
                                    CatalogSnapshot last) {
            return new DryRunResult(success, traced.size(), traced, skipped, failure, SchemaDiff.between(first, last),
                    atRisk);
        }

        private CatalogSnapshot trace(ScriptToRun script, ScriptToRun.Step step, CatalogSnapshot before) throws SQLException {
            // locks last until the transaction ends: what was held after the last statement is held now.
            // The statement runs under the savepoint sm_step, taken when the previous one was released.
            Set<HeldLock> locksBefore = locksHeld;
            long started = System.nanoTime();
            Long rows = execute(step.sql());
            long durationMs = (System.nanoTime() - started) / 1_000_000;
            // our reads run under a pinned search_path; the migration's own path (which its
            // statement may just have set) is put back before its next statement runs
            String migrationPath = pinAndCountWrites();
            CatalogSnapshot after = catalogChanged ? CatalogReader.read(c) : before;
            SchemaDiff diff = SchemaDiff.between(before, after);
            boolean truncates = TRUNCATE.matcher(step.sql()).matches();
            java.util.Map<Long, RowChangeCounter.Counts> firstRun = null;
            if (!diff.droppedData().isEmpty() || (truncates && !diff.rewritten().isEmpty())) {
                // count what the statement destroys while it still exists, then run it again; the
                // counting runs in a subtransaction rolled back at once, so its locks are not reported.
                // Each rollback also undoes the pin: the statement runs again under the migration's path.
                firstRun = RowChangeCounter.read(c);
                sql("rollback to savepoint sm_step");
                sql("savepoint sm_count");
                CatalogSearchPath.pinLocal(c);
                countDoomed(script, step, diff, truncates);
                sql("rollback to savepoint sm_count");
                sql("release savepoint sm_count");
                rows = execute(step.sql());
                migrationPath = pinAndCountWrites();
                after = CatalogReader.read(c);
            }
            if (!truncates) {
                countRewritten(script, step, diff);
            }
            locksHeld = locksRestoreNext(before.relationNames(), migrationPath);
            for (RowChangeCounter.Change change : rowChanges.settle(firstRun, rowCounts)) {
                atRisk(script, step, "table " + change.table(), change.what(), change.rows());
            }
            Set<HeldLock> added = new TreeSet<>(locksHeld);
            added.removeAll(locksBefore);
            traced.add(new DryRunResult.TracedStatement(script.version(), step.index(), step.line(), rows, durationMs,
                    List.copyOf(added), truncates ? List.of() : diff.rewritten(), diff));
            return after;
        }

        /** @return the migration's search_path; sets {@link #catalogChanged} */
        private String pinAndCountWrites() throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PIN_AND_COUNT)) {
                rs.next();
                long now = rs.getLong(3);
                catalogChanged = now != catalogWrites;
                catalogWrites = now;
                return rs.getString(1);
            }
        }

        private Set<HeldLock> locksRestoreNext(java.util.Map<Long, String> names, String migrationPath) throws SQLException {
            try (java.sql.PreparedStatement s = c.prepareStatement(LOCKS_RESTORE_NEXT)) {
                s.setString(1, migrationPath);
                s.execute();
                if (!s.getMoreResults()) {
                    throw new SQLException("the lock query after the release returned no rows");
                }
                rowCounts.clear();
                Set<HeldLock> locks;
                try (ResultSet rs = s.getResultSet()) {
                    locks = HeldLock.from(rs, names, rowCounts);
                }
                s.getMoreResults();
                try (ResultSet rs = s.getResultSet()) {
                    RowChangeCounter.requireTracking(rs, 2);
                }
                return locks;
            }
        }

        private void sql(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        private long catalogWrites() throws SQLException {
            return count(CATALOG_WRITES);
        }

        private Long execute(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                boolean resultSet = s.execute(sql);
                long count = resultSet ? -1 : s.getLargeUpdateCount();
                return count < 0 ? null : count;
            }
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
