package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows each traced statement updated or deleted in tables that existed before the dry run,
 * whoever changed them: the statement itself, a trigger it fired, a function, procedure or DO
 * block it ran, a foreign key's ON DELETE CASCADE. Rows in a table the migration created were not
 * in the database before it, so they are not data at risk.
 *
 * <p>The source is PostgreSQL's transaction-local statistics counters
 * ({@code pg_stat_get_xact_tuples_updated/_deleted}), which count every row the executor changed
 * in this transaction, live subtransactions included. They cost a hash lookup per table, and are
 * read for the tables this transaction holds a lock on (any table it changed is locked until the
 * transaction ends), so the cost grows with the tables the migration touches, not with the schema.
 * They are read in the round trip the tracer makes after every statement anyway (from the same
 * copy of pg_locks as the new locks: {@link LockScan}; {@link #QUERY} in the round trip of a rollback),
 * after the statement's savepoint is released; a statement's changes are
 * the growth since the previous statement's reading. Behaviour of PostgreSQL 15 this relies on:
 * <ul>
 *   <li>rows changed in a subtransaction that is rolled back still count (attempts are counted):
 *       the tracer's rollback to its savepoint, to count what a statement drops, leaves the first
 *       run in the counters, so that run is attributed from a reading taken before the rollback and
 *       the second run only moves the baseline ({@link #settle});</li>
 *   <li>a TRUNCATE or DROP resets a table's counters for the subtransaction that ran it, and
 *       releasing the savepoint carries the reset up, so a reading can fall: a fall is no change
 *       (the rows that table held are reported as truncated or dropped instead), and a dropped
 *       table has no catalog row left and is not counted here at all, so its rows are never
 *       counted twice.</li>
 * </ul>
 * A change a function made and then undid in an exception block still counts: the dry run errs
 * towards asking a person.
 */
final class RowChangeCounter {

    /**
     * The transaction's updated and deleted row counts of every ordinary table it holds a
     * RowExclusiveLock on: oid, qualified name, updated, deleted. Every UPDATE, DELETE and MERGE
     * takes that lock on the table it changes (whoever runs it: the statement, a trigger, a
     * function), and pg_locks shows it beside any stronger mode the transaction also holds, so each
     * table that can have changed rows is read exactly once, however long ago it was first locked.
     */
    static final String QUERY = """
            select l.relation::bigint, n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   pg_catalog.pg_stat_get_xact_tuples_updated(l.relation),
                   pg_catalog.pg_stat_get_xact_tuples_deleted(l.relation)
            from pg_catalog.pg_locks l
            join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) l.relation
            join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where l.pid operator(pg_catalog.=) pg_catalog.pg_backend_pid() and l.locktype operator(pg_catalog.=) 'relation'
              and l.granted and l.mode operator(pg_catalog.=) 'RowExclusiveLock' and c.relkind operator(pg_catalog.=) 'r'
              and l.relation operator(pg_catalog.>=) 16384""";

    /**
     * Whether PostgreSQL still counts: a role allowed to (a superuser a person allowed) could turn
     * {@code track_counts} off, and the rows a statement changed after that, and the catalog writes
     * the tracer looks for, would go unseen. A select-list item, read in a query the tracer runs
     * after every statement anyway.
     */
    static final String TRACKING = "pg_catalog.current_setting('track_counts')";

    /**
     * @param column the column of {@link #TRACKING} in the current row
     * @throws SQLException when a statement turned counting off: the dry run then fails instead of missing changes
     */
    static void requireTracking(ResultSet tracking, int column) throws SQLException {
        if (tracking == null || !tracking.next() || !"on".equals(tracking.getString(column))) {
            throw new SQLException("track_counts is off (set by the migration or the server), and the dry run counts "
                    + "changed rows and catalog writes with it: this migration cannot be traced", "55000");
        }
    }

    /** A table's counters at one reading. */
    record Counts(String table, long updated, long deleted) {}

    /**
     * Rows one statement changed in one table.
     *
     * @param what updated_rows | deleted_rows
     */
    record Change(String table, String what, long rows) {}

    /** The ordinary tables there are before the first statement: one read per dry run, not per statement. */
    private static final String TABLES = "select c.oid::bigint from pg_catalog.pg_class c where c.relkind = 'r' "
            + "and c.oid >= 16384";

    private final Set<Long> preExisting;
    private final Map<Long, Counts> baseline = new HashMap<>();

    /** @param preExisting oids of the tables that existed before the dry run's first statement */
    RowChangeCounter(Set<Long> preExisting) {
        this.preExisting = preExisting;
    }

    /** Oids of the tables that existed before the dry run: the only ones whose changed rows are at risk. */
    Set<Long> preExisting() {
        return java.util.Collections.unmodifiableSet(preExisting);
    }

    /** A counter for the dry run about to start on this connection, under the pinned search_path. */
    static RowChangeCounter start(Connection c) throws SQLException {
        Set<Long> tables = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
            while (rs.next()) {
                tables.add(rs.getLong(1));
            }
        }
        return new RowChangeCounter(tables);
    }

    /** A reading from {@link #QUERY}'s rows. */
    static void readAll(ResultSet rows, Map<Long, Counts> reading) throws SQLException {
        while (rows.next()) {
            reading.put(rows.getLong(1), new Counts(rows.getString(2), rows.getLong(3), rows.getLong(4)));
        }
    }

    /**
     * What one statement changed, and the baseline moved past it.
     *
     * @param firstRun the reading taken before the statement was rolled back and run again, or null
     * @param now      the reading after the statement's savepoint was released
     * @return the statement's changes, by table name
     */
    List<Change> settle(Map<Long, Counts> firstRun, Map<Long, Counts> now) {
        List<Change> changes = changes(firstRun != null ? firstRun : now);
        if (firstRun != null) {
            baseline.putAll(firstRun);
        }
        // tables whose lock a rollback released keep their last reading: their counters do not go back
        baseline.putAll(now);
        return changes;
    }

    /** Whether {@link #settle} would report a change for this reading, without moving the baseline. */
    boolean anyChange(Map<Long, Counts> now) {
        return !changes(now).isEmpty();
    }

    /**
     * Every ordinary table's counters (not only those locked now): oid, qualified name, updated,
     * deleted. Every function and operator is qualified: it is read under the migration's path.
     */
    static final String ALL_TABLES = """
            select c.oid::pg_catalog.int8, n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid)
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where c.relkind operator(pg_catalog.=) 'r' and c.oid operator(pg_catalog.>=) 16384""";

    /**
     * After a run of statements was rolled back ({@link StatementRun}): what it changed stays in the
     * counters (attempts count), also of tables whose only lock the rollback released, so the next
     * statement's changes are counted from the counters as they are now, read from {@link #ALL_TABLES}.
     */
    void rebase(ResultSet allTables) throws SQLException {
        Map<Long, Counts> now = new HashMap<>();
        readAll(allTables, now);
        baseline.putAll(now);
    }

    private List<Change> changes(Map<Long, Counts> own) {
        Map<String, long[]> byTable = new TreeMap<>();
        own.forEach((oid, n) -> {
            if (!preExisting.contains(oid)) {
                return;
            }
            Counts b = baseline.getOrDefault(oid, new Counts(n.table(), 0, 0));
            long[] d = byTable.computeIfAbsent(n.table(), t -> new long[2]);
            d[0] += Math.max(0, n.updated() - b.updated());
            d[1] += Math.max(0, n.deleted() - b.deleted());
        });
        List<Change> changes = new ArrayList<>();
        byTable.forEach((table, d) -> {
            if (d[0] > 0) {
                changes.add(new Change(table, "updated_rows", d[0]));
            }
            if (d[1] > 0) {
                changes.add(new Change(table, "deleted_rows", d[1]));
            }
        });
        return changes;
    }
}
