package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
     * The rows that follow from a set {@code f} of new locks (key, relation): one per lock, with
     * its relation's name and whether it is an ordinary table (kind 1); then the row counters (kind
     * 2) of the tables in the text oid array parameter and of the ordinary tables among {@code f}
     * held RowExclusiveLock. The tables to count are a set of oids the planner looks up by
     * pg_class's oid index. Rows: (kind, key, relation, keys, modes known, name, ordinary table,
     * rows updated, rows deleted), as {@link Rows} reads them.
     */
    private static final String NAMED_AND_COUNTED = """
            select 1, f.key, f.relation::pg_catalog.int8, null::pg_catalog.int8[], null::pg_catalog.bool,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   c.relkind operator(pg_catalog.=) 'r', null::pg_catalog.int8, null::pg_catalog.int8
            from f left join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) f.relation
                   left join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            union all
            select 2, null, c.oid::pg_catalog.int8, null, null,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname, true,
                   pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid)
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where c.relkind operator(pg_catalog.=) 'r'
              and c.oid in (select pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
                            union select f.relation from f where f.key operator(pg_catalog.%%) 32 operator(pg_catalog.=) %d)"""
            .formatted("RowExclusiveLock".length());

    /**
     * Parameters: the highest relation oid among the known locks ({@link Reading#newest}), the known
     * tables held RowExclusiveLock (a text oid array). Rows: first one with the key of every lock
     * held (kind 0, an int8 array) and whether every mode held is in {@link #MODES}; then
     * {@link #NAMED_AND_COUNTED}'s, for the locks on relations newer than every known one.
     *
     * <p>Which locks are new is worked out by the reader, from the keys: the known locks, thousands
     * late in a long history, are not sent to be parsed and hashed after every statement, which cost
     * as much again as the copy of pg_lock_status itself. The held locks are read in one pass that
     * only aggregates them: one array of int8, no materialized copy, no text compared per lock. A
     * lock on a newer relation is new whatever else is known, so its name comes with it; a new lock
     * on a relation older than that is named afterwards ({@link #NAMES}). A mode not in
     * {@link #MODES} fails the reading ({@link Reading}), so that two unknown modes of one relation
     * cannot pass for each other. Every function and operator is qualified (see
     * {@link CatalogSearchPath}).
     */
    static final String QUERY = """
            with a as (
              select pg_catalog.array_agg(h.key) as keys,
                     pg_catalog.array_agg(h.key) filter (where h.relation operator(pg_catalog.>) w.newest) as newer,
                     coalesce(pg_catalog.bool_and(h.mode operator(pg_catalog.=) any ('{%s}'::pg_catalog.text[])), true) as known
              from (%s) h, (select ?::pg_catalog.int8::pg_catalog.oid as newest) w),
            f as (
              select k.key, (k.key operator(pg_catalog./) 32)::pg_catalog.oid as relation
              from a, pg_catalog.unnest(a.newer) k(key))
            select 0, null::pg_catalog.int8, null::pg_catalog.int8, a.keys, a.known, null::pg_catalog.text,
                   null::pg_catalog.bool, null::pg_catalog.int8, null::pg_catalog.int8
            from a
            union all
            """.formatted(String.join(",", MODES), HELD) + NAMED_AND_COUNTED;

    /**
     * {@link #NAMED_AND_COUNTED} for new locks on relations older than {@link Reading#newest}: the
     * parameters are their keys (a text int8 array) and no other table to count ({@code '{}'}).
     */
    static final String NAMES = """
            with f as (
              select k.key, (k.key operator(pg_catalog./) 32)::pg_catalog.oid as relation
              from pg_catalog.unnest(?::pg_catalog.text::pg_catalog.int8[]) k(key))
            """ + NAMED_AND_COUNTED;

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
     * relation and mode ({@link #MODES}), and the same number on both sides, so that the keys held
     * compare with the known ones.
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

    /** A lock not known before, with its relation's name and whether it is an ordinary table. */
    private record NewLock(long key, long oid, String mode, String name, boolean table) {}

    /**
     * {@link #QUERY}'s or {@link #NAMES}' rows: every lock held, by key, where kind 0 gives them
     * (duplicates removed: pg_locks may show a lock twice while another backend moves it out of
     * this one's fast-path slots), else null; the named locks by key; the counters.
     */
    private record Rows(Set<Long> held, Map<Long, NewLock> named, Map<Long, RowChangeCounter.Counts> counts) {
        static Rows of(ResultSet rs) throws SQLException {
            Set<Long> held = null;
            boolean modesKnown = true;
            Map<Long, NewLock> named = new HashMap<>();
            Map<Long, RowChangeCounter.Counts> counts = new HashMap<>();
            while (rs.next()) {
                switch (rs.getInt(1)) {
                    case 0 -> {
                        held = new HashSet<>();
                        java.sql.Array keys = rs.getArray(4);
                        if (keys != null) {
                            for (Object key : (Object[]) keys.getArray()) {
                                held.add((Long) key);
                            }
                        }
                        modesKnown = rs.getBoolean(5);
                    }
                    case 1 -> {
                        long key = rs.getLong(2);
                        named.put(key, new NewLock(key, rs.getLong(3), BY_LENGTH[(int) (key % 32)], rs.getString(6),
                                rs.getBoolean(7)));
                    }
                    default -> counts.put(rs.getLong(3), new RowChangeCounter.Counts(rs.getString(6), rs.getLong(8), rs.getLong(9)));
                }
            }
            if (!modesKnown) {
                throw new IllegalStateException("pg_locks shows a relation lock in a mode the dry run does not know (one of "
                        + MODES + " was expected): its locks cannot be traced");
            }
            return new Rows(held, named, counts);
        }

        /** {@link #QUERY}'s rows, which begin with every lock held. */
        static Rows ofQuery(ResultSet rs) throws SQLException {
            Rows rows = of(rs);
            if (rows.held() == null) {
                throw new SQLException("the lock reading returned no locks");
            }
            return rows;
        }
    }

    /**
     * The locks and the tables held RowExclusiveLock known so far in one dry run, with what
     * {@link #QUERY} is given to read them.
     */
    static final class Reading {
        private final HeldLock.Known known;
        private final Set<Long> rowExclusiveTables = new LinkedHashSet<>();
        /** The tables whose counters matter, once known; see {@link #countOnly}. */
        private Set<Long> countable;
        /** The highest relation oid among the known locks: a lock on a newer relation is new. */
        private long newest;
        /** {@link #NAMES}, prepared once per connection. */
        private Connection preparedOn;
        private PreparedStatement names;
        /** How many readings named new locks on older relations afterwards (tests). */
        private int namedAfterwards;

        Reading(HeldLock.Known known) {
            this.known = known;
        }

        int namedAfterwards() {
            return namedAfterwards;
        }

        /**
         * Keeps the counters read after every statement to these tables (those that existed before
         * the dry run, {@link RowChangeCounter}): rows in a table the migration created were not
         * there before, so their counters never reach a finding, yet a migration that fills the
         * tables it creates would otherwise have every one of them read again after each of its
         * later statements (300 tables read 900 times in the apply benchmark's history).
         */
        void countOnly(Set<Long> tables) {
            countable = tables;
            rowExclusiveTables.retainAll(tables);
        }

        /** The tables whose counters the next reading asks for by oid (tests). */
        Set<Long> countedTables() {
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
         * {@code counts}. New locks on older relations are named by {@link #NAMES} on the result
         * set's connection: nothing runs in between, so the locks and the counters are the same.
         *
         * @param names relation names seen in this dry run, for relations dropped since
         * @return the new locks, in order
         */
        List<HeldLock> read(ResultSet rs, Map<Long, String> names, Map<Long, RowChangeCounter.Counts> counts)
                throws SQLException {
            Rows rows = Rows.ofQuery(rs);
            List<NewLock> fresh = new ArrayList<>();
            List<Long> older = new ArrayList<>();
            for (long key : rows.held()) {
                if (known.contains(key)) {
                    continue;
                }
                NewLock lock = rows.named().get(key);
                if (lock != null) {
                    fresh.add(lock);
                } else if (key / 32 > newest) {
                    throw new SQLException("the lock reading did not name the lock on relation " + key / 32);
                } else {
                    older.add(key);
                }
            }
            counts.clear();
            counts.putAll(rows.counts());
            if (!older.isEmpty()) {
                Rows named = named(rs.getStatement().getConnection(), older);
                fresh.addAll(named.named().values());
                counts.putAll(named.counts());
            }
            return remember(fresh, names);
        }

        /** {@link #NAMES}' rows for these keys: the locks with their names, and the counters of the tables among them. */
        private Rows named(Connection c, List<Long> keys) throws SQLException {
            namedAfterwards++;
            if (preparedOn != c) {
                names = c.prepareStatement(NAMES);
                preparedOn = c;
            }
            names.setString(1, "{" + keys.stream().map(String::valueOf).collect(Collectors.joining(",")) + "}");
            names.setString(2, "{}");
            try (ResultSet rs = names.executeQuery()) {
                return Rows.of(rs);
            }
        }

        /** Makes the new locks known. */
        private List<HeldLock> remember(List<NewLock> fresh, Map<Long, String> names) {
            HeldLock.Known.Adding adding = known.adding(names);
            for (NewLock l : fresh) {
                if (adding.add(l.key(), l.oid(), l.mode(), l.name())) {
                    newest = Math.max(newest, l.oid());
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
            Rows rows = Rows.ofQuery(rs);
            for (long key : rows.held()) {
                if (!known.contains(key)) {
                    return false;
                }
            }
            counts.clear();
            counts.putAll(rows.counts());
            return true;
        }
    }
}
