package dev.safemigrate.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What the tracer reads from pg_locks after each statement, in one pass: the relation locks not
 * seen before ({@link HeldLock.Known}) and the row counters of the tables held RowExclusiveLock
 * ({@link RowChangeCounter}). {@code pg_locks} is a view over {@code pg_lock_status()}, which
 * copies the whole shared lock table on every call: a dry run holds a lock on every relation it
 * created or touched (thousands, late in a long history), so that copy is the cost, and the two
 * readings share it (a materialized CTE) instead of making it twice.
 */
final class LockScan {

    /**
     * The modes pg_locks shows for a relation: the eight table lock modes in PostgreSQL's order,
     * then the predicate lock a SERIALIZABLE transaction takes on what it reads (a database or role
     * may make SERIALIZABLE the default, and the dry run's transaction is then one). A mode's
     * position, 1 to 9, is its part of a lock's key ({@link #key}).
     */
    static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
            HeldLock.PREDICATE);

    /**
     * Parameters: how many locks are known (-1 to compare key by key) and the sum of their keys
     * (see {@link Reading}), the known locks' keys ({@link #key}), the known tables held
     * RowExclusiveLock. Rows: whether the row is a new lock (else a row counter), relation oid,
     * mode, qualified name, whether it is an ordinary table, rows updated, rows deleted.
     *
     * <p>A transaction keeps its relation locks to the end, and every lock the trace knows was read
     * from pg_locks after its statement's savepoint was released, so the locks held now include
     * every known one: when the count and the checksum are those of the known locks, nothing is new
     * and the comparison key by key (a hash of thousands of keys, late in a long history) is
     * skipped. For the same reason the tables held RowExclusiveLock are the known ones and the new
     * ones, so the counters are read for those by oid instead of for every RowExclusiveLock row of
     * pg_locks (indexes included). Every function and operator is qualified (see {@link CatalogSearchPath}).
     *
     * <p>Where a statement adds a lock, which in a migration of CREATE TABLE, CREATE INDEX and
     * INSERT is after every statement, the comparison key by key runs over every lock held: a lock
     * is one int8 ({@link #key}), not an "oid/mode" text built, sent and hashed for each of
     * thousands of locks. A mode not in {@link #MODES} keys as position 0, which no known lock has
     * ({@link #key} refuses it), so such a lock is always new and the reading fails on it rather
     * than let two unknown modes of one relation pass for each other. The tables to count are a
     * set of oids the planner looks up by pg_class's oid index; an OR of the two sources made it
     * scan pg_class in full after every statement.
     */
    static final String QUERY = """
            with l as materialized (
              select l.relation, l.mode,
                     l.relation::pg_catalog.int8 operator(pg_catalog.*) 16 operator(pg_catalog.+)
                       coalesce(pg_catalog.array_position('{%s}'::pg_catalog.text[], l.mode), 0) as key
              from pg_catalog.pg_locks l
              where l.pid operator(pg_catalog.=) pg_catalog.pg_backend_pid() and l.locktype operator(pg_catalog.=) 'relation'
                and l.granted and l.relation operator(pg_catalog.>=) 16384),
            k(same) as (
              select pg_catalog.count(*) operator(pg_catalog.=) ?::pg_catalog.int8
                 and coalesce(pg_catalog.sum(l.key), 0)::pg_catalog.int8 operator(pg_catalog.=) ?::pg_catalog.int8
              from l),
            fresh as materialized (
              select l.relation, l.mode from l
              where not (select same from k)
                and l.key not in (select pg_catalog.unnest(?::pg_catalog.text::pg_catalog.int8[])))
            select true, f.relation::pg_catalog.int8, f.mode,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   c.relkind operator(pg_catalog.=) 'r', null::pg_catalog.int8, null::pg_catalog.int8
            from fresh f left join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) f.relation
                   left join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            union all
            select false, c.oid::pg_catalog.int8, null, n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname, true,
                   pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid)
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where c.relkind operator(pg_catalog.=) 'r'
              and c.oid in (select pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
                            union select f.relation from fresh f where f.mode operator(pg_catalog.=) 'RowExclusiveLock')"""
            .formatted(String.join(",", MODES));

    private LockScan() {}

    /**
     * A lock as {@link #QUERY} keys it, {@code oid * 16 + position}: unique per relation and mode,
     * and the same number on both sides, so that the checksum, a sum of keys, means one thing.
     *
     * @throws IllegalStateException for a mode not in {@link #MODES}: a lock the trace could not
     *         tell from another of the same relation is a lock it could miss
     */
    static long key(long oid, String mode) {
        int position = MODES.indexOf(mode) + 1;
        if (position == 0) {
            throw new IllegalStateException("pg_locks shows a relation lock in mode " + mode + " (relation oid " + oid
                    + "), which the dry run does not know: its locks cannot be traced");
        }
        return oid * 16 + position;
    }

    static void parameters(PreparedStatement s, int index, Reading reading) throws SQLException {
        // no count of held locks is -1: with a predicate lock known, the comparison key by key runs
        s.setLong(index, reading.predicateKnown ? -1 : reading.known.size());
        s.setLong(index + 1, reading.checksum);
        s.setString(index + 2, reading.known.parameter());
        s.setString(index + 3, reading.tables());
    }

    /**
     * The locks and the tables held RowExclusiveLock known so far in one dry run, with what
     * {@link #QUERY} compares them by.
     */
    static final class Reading {
        private final HeldLock.Known known;
        private final java.util.Set<Long> rowExclusiveTables = new java.util.LinkedHashSet<>();
        /** The tables whose counters matter, once known; see {@link #countOnly}. */
        private java.util.Set<Long> countable;
        private long checksum;
        /**
         * Whether a predicate lock ({@link HeldLock#PREDICATE}) is known. Unlike a table lock it is
         * not sure to be held to the end: PostgreSQL moves an index's predicate locks to its table
         * when the index is dropped or rebuilt. Known is then no proof of held, and a count and a
         * sum equal to the known ones' could hide a new lock behind one gone, so the locks are
         * compared key by key from then on.
         */
        private boolean predicateKnown;

        Reading(HeldLock.Known known) {
            this.known = known;
        }

        /**
         * Keeps the counters read after every statement to these tables (those that existed before
         * the dry run, {@link RowChangeCounter}): rows in a table the migration created were not
         * there before, so their counters never reach a finding, yet a migration that fills the
         * tables it creates would otherwise have every one of them read again after each of its
         * later statements (300 tables read 900 times in the apply benchmark's history).
         */
        void countOnly(java.util.Set<Long> tables) {
            countable = tables;
            rowExclusiveTables.retainAll(tables);
        }

        /** The tables whose counters the next reading asks for by oid (tests). */
        java.util.Set<Long> countedTables() {
            return java.util.Collections.unmodifiableSet(rowExclusiveTables);
        }

        private String tables() {
            StringBuilder sb = new StringBuilder("{");
            for (Long oid : rowExclusiveTables) {
                sb.append(sb.length() == 1 ? "" : ",").append(oid);
            }
            return sb.append('}').toString();
        }

        /**
         * Reads {@link #QUERY}'s rows: the new locks into the known ones, the counters into {@code counts}.
         *
         * @param names relation names seen in this dry run, for relations dropped since
         * @return the new locks, in order
         */
        List<HeldLock> read(ResultSet rs, Map<Long, String> names, Map<Long, RowChangeCounter.Counts> counts)
                throws SQLException {
            HeldLock.Known.Adding adding = known.adding(names);
            counts.clear();
            while (rs.next()) {
                long oid = rs.getLong(2);
                if (rs.getBoolean(1)) {
                    String mode = rs.getString(3);
                    long key = key(oid, mode);
                    if (adding.add(key, oid, mode, rs.getString(4))) {
                        checksum += key;
                        predicateKnown |= mode.equals(HeldLock.PREDICATE);
                    }
                    if (mode.equals("RowExclusiveLock") && rs.getBoolean(5) && (countable == null || countable.contains(oid))) {
                        rowExclusiveTables.add(oid);
                    }
                } else {
                    counts.put(oid, counts(rs));
                }
            }
            return adding.added();
        }

        /** A row counter row of {@link #QUERY}: the table's name, rows updated, rows deleted. */
        private static RowChangeCounter.Counts counts(ResultSet rs) throws SQLException {
            return new RowChangeCounter.Counts(rs.getString(4), rs.getLong(6), rs.getLong(7));
        }

        /**
         * Reads {@link #QUERY}'s rows as {@link #read} does, but only when none is a new lock: the
         * locks of a run of statements that may still be rolled back must not become known.
         *
         * @return false, with nothing read into {@code counts} or remembered, when a lock is new
         */
        boolean readIfNoneNew(ResultSet rs, Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
            Map<Long, RowChangeCounter.Counts> read = new java.util.HashMap<>();
            while (rs.next()) {
                if (rs.getBoolean(1)) {
                    return false;
                }
                read.put(rs.getLong(2), counts(rs));
            }
            counts.clear();
            counts.putAll(read);
            return true;
        }
    }
}
