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
 * created or touched (thousands, late in a long history), so that copy is the floor of the cost,
 * and the reading is built to add as little as possible on top of it ({@link #QUERY}).
 */
final class LockScan {

    /**
     * The modes pg_locks shows for a relation: the eight table lock modes in PostgreSQL's order,
     * then the predicate lock a SERIALIZABLE transaction takes on what it reads (a database or role
     * may make SERIALIZABLE the default, and the dry run's transaction is then one). Their names
     * are of nine different lengths, each below 32: a lock's key ({@link #key}) is made of its
     * relation and the length of its mode's name, which PostgreSQL computes without comparing text.
     */
    static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
            HeldLock.PREDICATE);

    /** This backend's granted locks on relations that are not system catalogs, each with its key. */
    private static final String HELD = """
            select l.relation, l.mode,
                   l.relation::pg_catalog.int8 operator(pg_catalog.*) 32 operator(pg_catalog.+) pg_catalog.octet_length(l.mode) as key
            from pg_catalog.pg_lock_status() l
            where l.pid operator(pg_catalog.=) pg_catalog.pg_backend_pid() and l.locktype operator(pg_catalog.=) 'relation'
              and l.granted and l.relation operator(pg_catalog.>=) 16384""";

    /**
     * Parameters: the highest relation oid among the known locks ({@link Reading#newest}), the known
     * tables held RowExclusiveLock (a text oid array). Rows: first one of totals (0, how many locks
     * are held on relations up to that oid, the sum of their keys, whether every mode held is in
     * {@link #MODES}), then one per lock on a newer relation (1, its key, its relation, name and
     * whether it is an ordinary table), then the row counters (2, the table, its name, rows updated,
     * rows deleted).
     *
     * <p>A transaction keeps its relation locks to the end, and every lock the trace knows was read
     * after its statement's savepoint was released, so the locks held now include every known one
     * (while no predicate lock is known: see {@link Reading#predicateKnown}). So the known keys,
     * thousands late in a long history, are not sent to be parsed and hashed after every statement,
     * which cost as much again as the copy of pg_lock_status: the held locks are aggregated in one
     * pass instead. A lock on a relation newer than every known one is new, and comes back with its
     * name. The others are counted and summed: as many as the known locks means none is new, one
     * more means one new lock, whose key is the difference of the sums (a key says its relation and
     * its mode). Anything else (two new locks on relations locked before, a known lock seen twice) is
     * read again key by key ({@link #KEY_BY_KEY}). A mode not in {@link #MODES} fails the reading
     * ({@link Reading}), so that two unknown modes of one relation cannot pass for each other.
     *
     * <p>The counters are read for the known tables held RowExclusiveLock and for the newer
     * relations held RowExclusiveLock; a table first held RowExclusiveLock that was locked before is
     * read with its name afterwards ({@link #NAMES}). The tables to count are a set of oids the
     * planner looks up by pg_class's oid index. Every function and operator is qualified (see
     * {@link CatalogSearchPath}).
     */
    static final String QUERY = """
            with a as (
              select pg_catalog.count(*) filter (where h.relation operator(pg_catalog.<=) w.newest) as n,
                     coalesce(pg_catalog.sum(h.key) filter (where h.relation operator(pg_catalog.<=) w.newest), 0)::pg_catalog.int8 as s,
                     pg_catalog.array_agg(h.key) filter (where h.relation operator(pg_catalog.>) w.newest) as fresh,
                     coalesce(pg_catalog.bool_and(h.mode operator(pg_catalog.=) any ('{%s}'::pg_catalog.text[])), true) as known
              from (%s) h, (select ?::pg_catalog.int8::pg_catalog.oid as newest) w),
            f as (
              select k.key, (k.key operator(pg_catalog./) 32)::pg_catalog.oid as relation
              from a, pg_catalog.unnest(a.fresh) k(key))
            select 0, a.n, a.s, a.known, null::pg_catalog.text, null::pg_catalog.bool, null::pg_catalog.int8
            from a
            union all
            select 1, f.key, f.relation::pg_catalog.int8, null,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   c.relkind operator(pg_catalog.=) 'r', null
            from f left join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) f.relation
                   left join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            union all
            select 2, c.oid::pg_catalog.int8, pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), null,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname, true,
                   pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid)
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where c.relkind operator(pg_catalog.=) 'r'
              and c.oid in (select pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
                            union select f.relation from f where f.key operator(pg_catalog.%%) 32 operator(pg_catalog.=) %d)"""
            .formatted(String.join(",", MODES), HELD, "RowExclusiveLock".length());

    /**
     * The reading key by key, where {@link #QUERY}'s sums cannot tell which lock is new (rare), or
     * once a predicate lock is known. Parameters: the known locks' keys ({@link #key}; a text int8
     * array), the known tables held RowExclusiveLock. Rows as {@link #NAMES}': the new locks (true,
     * oid, mode, name, ordinary table), then the row counters (false, oid, null, name, true,
     * rows updated, rows deleted).
     */
    static final String KEY_BY_KEY = """
            with l as materialized (%s),
            fresh as materialized (
              select l.relation, l.mode from l
              where l.key not in (select pg_catalog.unnest(?::pg_catalog.text::pg_catalog.int8[])))
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
            .formatted(HELD);

    /**
     * The names of relations with a new lock found by {@link #QUERY}'s sums, with the row counters
     * of those that are ordinary tables. Parameter: the relation oids and modes, as text arrays.
     * Rows as {@link #KEY_BY_KEY}'s.
     */
    static final String NAMES = """
            select true, o.oid::pg_catalog.int8, o.mode,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   c.relkind operator(pg_catalog.=) 'r', null::pg_catalog.int8, null::pg_catalog.int8
            from rows from (pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[]), pg_catalog.unnest(?::pg_catalog.text[])) o(oid, mode)
                 left join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) o.oid
                 left join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            union all
            select false, c.oid::pg_catalog.int8, null, n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname, true,
                   pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid)
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where c.relkind operator(pg_catalog.=) 'r'
              and c.oid in (select o.oid from rows from (pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[]),
                              pg_catalog.unnest(?::pg_catalog.text[])) o(oid, mode)
                            where o.mode operator(pg_catalog.=) 'RowExclusiveLock')""";

    private LockScan() {}

    /** Each mode by the length of its name: see {@link #MODES}. */
    private static final String[] BY_LENGTH = new String[32];

    static {
        for (String mode : MODES) {
            if (mode.length() >= BY_LENGTH.length || BY_LENGTH[mode.length()] != null) {
                throw new IllegalStateException("two lock modes key alike: " + mode);
            }
            BY_LENGTH[mode.length()] = mode;
        }
    }

    /**
     * A lock as the queries key it, {@code oid * 32 + length of the mode's name}: unique per
     * relation and mode ({@link #MODES}), and the same number on both sides, so that a sum of keys
     * means one thing.
     *
     * @throws IllegalStateException for a mode not in {@link #MODES}: a lock the trace could not
     *         tell from another of the same relation is a lock it could miss
     */
    static long key(long oid, String mode) {
        if (!MODES.contains(mode)) {
            throw unknownMode(oid, mode);
        }
        return oid * 32 + mode.length();
    }

    private static IllegalStateException unknownMode(long oid, String mode) {
        return new IllegalStateException("pg_locks shows a relation lock in mode " + mode + " (relation oid " + oid
                + "), which the dry run does not know: its locks cannot be traced");
    }

    /**
     * Sets {@link #QUERY}'s parameters from {@code index} on.
     *
     * @return the index of the next parameter
     */
    static int parameters(PreparedStatement s, int index, Reading reading) throws SQLException {
        s.setLong(index, reading.newest);
        s.setString(index + 1, reading.tables());
        return index + 2;
    }

    /**
     * A lock not known before, with its name and whether it is an ordinary table, unless it was found
     * by the difference of the sums ({@code bySum}): those are looked up after ({@link #NAMES}).
     */
    private record NewLock(long key, long oid, String mode, String name, boolean table, boolean bySum) {}

    /** How many locks, and the sum of their keys (tests). */
    record Totals(long count, long sum) {
        Totals(Reading reading) {
            this(reading.count, reading.sum);
        }
    }

    /**
     * A reading of {@link #QUERY}: the locks held on relations up to {@link Reading#newest}, counted
     * and summed, the locks on newer relations, and the counters.
     */
    private record Scan(long count, long sum, List<NewLock> newer, Map<Long, RowChangeCounter.Counts> counts) {
        static Scan of(ResultSet rs) throws SQLException {
            long count = -1, sum = 0;
            boolean modesKnown = false;
            List<NewLock> newer = new java.util.ArrayList<>();
            Map<Long, RowChangeCounter.Counts> counts = new java.util.HashMap<>();
            while (rs.next()) {
                switch (rs.getInt(1)) {
                    case 0 -> {
                        count = rs.getLong(2);
                        sum = rs.getLong(3);
                        modesKnown = rs.getBoolean(4);
                    }
                    case 1 -> {
                        long key = rs.getLong(2);
                        newer.add(new NewLock(key, rs.getLong(3), BY_LENGTH[(int) (key % 32)], rs.getString(5),
                                rs.getBoolean(6), false));
                    }
                    default -> counts.put(rs.getLong(2), new RowChangeCounter.Counts(rs.getString(5), rs.getLong(3), rs.getLong(7)));
                }
            }
            if (count < 0) {
                throw new SQLException("the lock reading returned no totals");
            }
            if (!modesKnown) {
                throw new IllegalStateException("pg_locks shows a relation lock in a mode the dry run does not know (one of "
                        + MODES + " was expected): its locks cannot be traced");
            }
            return new Scan(count, sum, newer, counts);
        }
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
        /** How many locks are known, and the sum of their keys. */
        private long count;
        private long sum;
        /** The highest relation oid among the known locks: a lock on a newer relation is new. */
        private long newest;
        /**
         * Whether a predicate lock ({@link HeldLock#PREDICATE}) is known. Unlike a table lock it is
         * not sure to be held to the end: PostgreSQL moves an index's predicate locks to its table
         * when the index is dropped or rebuilt. Known is then no proof of held, and sums equal to
         * the known ones' could hide a new lock behind one gone, so the locks are compared key by
         * key from then on ({@link #KEY_BY_KEY}).
         */
        private boolean predicateKnown;
        /** The follow-up queries, prepared once per connection. */
        private java.sql.Connection preparedOn;
        private PreparedStatement keyByKey;
        private PreparedStatement names;

        /** How many times the locks were read again key by key (tests). */
        private int keyByKeyReadings;

        Reading(HeldLock.Known known) {
            this.known = known;
        }

        int keyByKeyReadings() {
            return keyByKeyReadings;
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
         * Reads {@link #QUERY}'s rows: the new locks into the known ones, the counters into
         * {@code counts}. Where the sums cannot tell which locks are new, the locks are read again
         * key by key on the result set's connection; nothing runs in between, so they are the same.
         *
         * @param names relation names seen in this dry run, for relations dropped since
         * @return the new locks, in order
         */
        List<HeldLock> read(ResultSet rs, Map<Long, String> names, Map<Long, RowChangeCounter.Counts> counts)
                throws SQLException {
            java.sql.Connection c = rs.getStatement().getConnection();
            Scan scan = Scan.of(rs);
            List<NewLock> fresh = predicateKnown ? null : newLocks(scan);
            counts.clear();
            if (fresh == null) {
                return remember(keyByKey(c, counts), names);
            }
            counts.putAll(scan.counts());
            List<NewLock> unnamed = fresh.stream().filter(NewLock::bySum).toList();
            if (!unnamed.isEmpty()) {
                fresh = new java.util.ArrayList<>(fresh);
                fresh.removeAll(unnamed);
                fresh.addAll(named(c, unnamed, counts));
            }
            return remember(fresh, names);
        }

        /**
         * The new locks {@link #QUERY}'s answer tells apart: those on newer relations, and one on a
         * relation locked before, found by the difference of the sums (without its name yet).
         *
         * @return null where the answer does not say which locks are new
         */
        private List<NewLock> newLocks(Scan scan) {
            long more = scan.count() - count;
            if (more == 0 && scan.sum() == sum) {
                return scan.newer();
            }
            long key = scan.sum() - sum;
            long oid = key / 32;
            String mode = key > 0 ? BY_LENGTH[(int) (key % 32)] : null;
            if (more != 1 || mode == null || oid < 16384 || oid > newest || known.contains(key)) {
                return null;
            }
            List<NewLock> fresh = new java.util.ArrayList<>(scan.newer());
            fresh.add(new NewLock(key, oid, mode, null, false, true));
            return fresh;
        }

        /** The locks found by the difference of the sums with their names, and the counters of the tables among them. */
        private List<NewLock> named(java.sql.Connection c, List<NewLock> unnamed, Map<Long, RowChangeCounter.Counts> counts)
                throws SQLException {
            prepare(c);
            String oids = "{" + unnamed.stream().map(l -> String.valueOf(l.oid())).collect(java.util.stream.Collectors.joining(",")) + "}";
            String modes = "{" + unnamed.stream().map(NewLock::mode).collect(java.util.stream.Collectors.joining(",")) + "}";
            names.setString(1, oids);
            names.setString(2, modes);
            names.setString(3, oids);
            names.setString(4, modes);
            try (ResultSet rs = names.executeQuery()) {
                return rows(rs, counts);
            }
        }

        private List<NewLock> keyByKey(java.sql.Connection c, Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
            keyByKeyReadings++;
            prepare(c);
            keyByKey.setString(1, known.parameter());
            keyByKey.setString(2, tables());
            try (ResultSet rs = keyByKey.executeQuery()) {
                return rows(rs, counts);
            }
        }

        private void prepare(java.sql.Connection c) throws SQLException {
            if (preparedOn != c) {
                keyByKey = c.prepareStatement(KEY_BY_KEY);
                names = c.prepareStatement(NAMES);
                preparedOn = c;
            }
        }

        /** {@link #KEY_BY_KEY}'s or {@link #NAMES}' rows: the locks, and the counters into {@code counts}. */
        private static List<NewLock> rows(ResultSet rs, Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
            List<NewLock> locks = new java.util.ArrayList<>();
            while (rs.next()) {
                long oid = rs.getLong(2);
                if (rs.getBoolean(1)) {
                    String mode = rs.getString(3);
                    locks.add(new NewLock(key(oid, mode), oid, mode, rs.getString(4), rs.getBoolean(5), false));
                } else {
                    counts.put(oid, new RowChangeCounter.Counts(rs.getString(4), rs.getLong(6), rs.getLong(7)));
                }
            }
            return locks;
        }

        /** Makes the new locks known. */
        private List<HeldLock> remember(List<NewLock> fresh, Map<Long, String> names) {
            HeldLock.Known.Adding adding = known.adding(names);
            for (NewLock l : fresh) {
                if (adding.add(l.key(), l.oid(), l.mode(), l.name())) {
                    count++;
                    sum += l.key();
                    newest = Math.max(newest, l.oid());
                    predicateKnown |= l.mode().equals(HeldLock.PREDICATE);
                }
                if (l.mode().equals("RowExclusiveLock") && l.table() && (countable == null || countable.contains(l.oid()))) {
                    rowExclusiveTables.add(l.oid());
                }
            }
            return adding.added();
        }

        /**
         * Reads {@link #QUERY}'s rows as {@link #read} does, but only when none is a new lock: the
         * locks of a run of statements that may still be rolled back must not become known.
         *
         * @return false, with nothing read into {@code counts} or remembered, when a lock is new
         */
        boolean readIfNoneNew(ResultSet rs, Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
            java.sql.Connection c = rs.getStatement().getConnection();
            Scan scan = Scan.of(rs);
            Map<Long, RowChangeCounter.Counts> read = scan.counts();
            if (!scan.newer().isEmpty()) {
                return false;
            }
            if (predicateKnown || scan.count() != count || scan.sum() != sum) {
                read = new java.util.HashMap<>();
                if (!keyByKey(c, read).isEmpty()) {
                    return false;
                }
            }
            counts.clear();
            counts.putAll(read);
            return true;
        }
    }
}
