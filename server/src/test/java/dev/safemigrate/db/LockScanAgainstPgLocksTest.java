package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * {@link LockScan} against the plain reading it stands for, on real PostgreSQL: after each step of
 * a generated sequence of statements in one transaction, the locks it reports as new are the
 * relation locks in {@code pg_locks} never held before, and the row counters it reads are those
 * {@code pg_stat_get_xact_tuples_updated/deleted} give for the tables that existed before and are
 * held RowExclusiveLock now, plus those that became held RowExclusiveLock in this step. The keys
 * mean the same in Java and in SQL; new locks on relations older than every known one's are
 * named afterwards, and a reading that must not remember (a run that may be rolled back) says
 * whether anything is new. The seed is printed with every failure ({@code -Dlockscan.seed=N}
 * repeats one run).
 */
class LockScanAgainstPgLocksTest {

    private static final String REFERENCE = """
            select l.relation::int8, l.mode, n.nspname || '.' || c.relname, c.relkind = 'r'
            from pg_locks l left join pg_class c on c.oid = l.relation left join pg_namespace n on n.oid = c.relnamespace
            where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and l.relation >= 16384""";

    private static final List<String> TABLE_MODES = List.of("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE");

    @Test
    void readCommittedStepsReportWhatPgLocksAndTheCountersSay() throws Exception {
        Run run = differential("read committed", 220);
        assertTrue(run.modesAdded.containsAll(LockScan.MODES.subList(0, 8)), "every table lock mode was added once: " + run);
        assertTrue(run.shortcuts >= 20, "steps where nothing was new: " + run);
        assertTrue(run.namedAfterwards >= 10, "new locks on older relations were named afterwards: " + run);
    }

    @Test
    void serializableStepsReportTheirPredicateLocksToo() throws Exception {
        Run run = differential("serializable", 160);
        assertTrue(run.modesAdded.contains(HeldLock.PREDICATE), "SERIALIZABLE reads took predicate locks: " + run);
    }

    /**
     * Why the reading compares every key held with the known ones rather than counting them:
     * dropping an index moves the predicate lock on it to its table, so a lock known is no longer
     * held, and a count could let the new lock pass for the one gone.
     */
    @Test
    void aKnownPredicateLockCanBeGoneWithoutHidingTheLocksThatAreNew() throws Exception {
        String db = TestDatabase.create("lockscan_predicate");
        TestDatabase.execute(db, "create table big (id int, w int); insert into big select g, g from generate_series(1, 30000) g;"
                + "create index big_w on big (w); analyze big");
        try (Connection c = TestDatabase.connect(db)) {
            c.setAutoCommit(false);
            try {
                run(c, "set transaction isolation level serializable");
                LockScan.Reading reading = new LockScan.Reading(new HeldLock.Known());
                Map<Long, String> names = new HashMap<>();
                read(c, reading, names, new HashMap<>());
                // an index scan over more leaf pages than max_pred_locks_per_relation: one predicate lock on the whole index
                run(c, "set local enable_seqscan = off; set local enable_bitmapscan = off; set local enable_indexonlyscan = off;"
                        + "select count(*) from big where w > 0");
                Lock onIndex = new Lock(queryLong(c, "select 'big_w'::regclass::oid"), HeldLock.PREDICATE);
                assertTrue(reference(c, names).containsKey(onIndex), "the index scan's page locks became one on big_w");
                assertTrue(read(c, reading, names, new HashMap<>()).contains(new HeldLock("public.big_w", HeldLock.PREDICATE)));

                run(c, "drop index big_w");
                Map<Lock, Reference> now = reference(c, names);
                assertTrue(!now.containsKey(onIndex), "the predicate lock on big_w moved to big: " + now.keySet());
                List<HeldLock> added = read(c, reading, names, new HashMap<>());
                assertTrue(added.contains(new HeldLock("oid " + onIndex.oid(), "AccessExclusiveLock"))
                        || added.contains(new HeldLock("public.big_w", "AccessExclusiveLock")), String.valueOf(added));
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void everyModeKeysApartAndAnUnknownModeIsRefused() {
        Set<Long> keys = new HashSet<>();
        for (long oid = 16384; oid < 16484; oid++) {
            for (String mode : LockScan.MODES) {
                keys.add(LockScan.key(oid, mode));
            }
        }
        assertEquals(100 * LockScan.MODES.size(), keys.size());
        assertThrows(IllegalStateException.class, () -> LockScan.key(16384, "SomeFutureLock"));
    }

    /** What one run went through, for its assertions and its failure messages. */
    private static final class Run {
        final long seed;
        final Set<String> modesAdded = new TreeSet<>();
        int shortcuts;
        int steps;
        int namedAfterwards;

        Run(long seed) {
            this.seed = seed;
        }

        @Override
        public String toString() {
            return "seed " + seed + " (-Dlockscan.seed=" + seed + "), " + steps + " steps, modes added " + modesAdded
                    + ", nothing new " + shortcuts + " times, new locks on older relations named afterwards "
                    + namedAfterwards + " times";
        }
    }

    private record Lock(long oid, String mode) {}

    private Run differential(String isolation, int steps) throws Exception {
        long seed = Long.getLong("lockscan.seed", System.nanoTime());
        Run run = new Run(seed);
        String db = TestDatabase.create("lockscan_diff");
        StringBuilder setup = new StringBuilder();
        for (int p = 0; p < 4; p++) {
            setup.append("create table p").append(p).append(" (id int primary key, v text, w int);")
                    .append("insert into p").append(p).append(" select g, 'v' || g, g from generate_series(1, 40) g;");
        }
        TestDatabase.execute(db, setup.toString());
        Generator gen = new Generator(new Random(seed));
        try (Connection c = TestDatabase.connect(db)) {
            c.setAutoCommit(false);
            try {
                run(c, "set transaction isolation level " + isolation);
                Set<Long> pre = new HashSet<>();
                for (int p = 0; p < 4; p++) {
                    pre.add(queryLong(c, "select 'p" + p + "'::regclass::oid"));
                }
                Map<Long, String> names = new HashMap<>();
                LockScan.Reading reading = new LockScan.Reading(new HeldLock.Known());
                Map<Long, RowChangeCounter.Counts> counts = new HashMap<>();
                Set<Lock> seen = new HashSet<>(reference(c, names).keySet());
                read(c, reading, names, counts);
                reading.countOnly(pre);
                List<String> history = new ArrayList<>();
                for (int i = 0; i < steps; i++) {
                    List<String> step = gen.step();
                    history.add(String.join("; ", step));
                    String context = run + ", step " + i + ": " + history.get(i);
                    for (String sql : step) {
                        run(c, sql);
                    }
                    Map<Lock, Reference> now = reference(c, names);
                    Set<Lock> fresh = new HashSet<>(now.keySet());
                    fresh.removeAll(seen);

                    assertEquals(fresh.isEmpty(), noneNew(c, reading), "whether anything is new, " + context);
                    if (fresh.isEmpty()) {
                        run.shortcuts++;
                    }

                    int namedBefore = reading.namedAfterwards();
                    List<HeldLock> added = read(c, reading, names, counts);
                    run.namedAfterwards += reading.namedAfterwards() - namedBefore;
                    Set<HeldLock> expected = new TreeSet<>();
                    for (Lock l : fresh) {
                        String name = now.get(l).name() != null ? now.get(l).name() : names.getOrDefault(l.oid(), "oid " + l.oid());
                        if (!name.startsWith("pg_toast.")) {
                            expected.add(new HeldLock(name, l.mode()));
                        }
                        run.modesAdded.add(l.mode());
                    }
                    assertEquals(List.copyOf(expected), added, "new locks, " + context);

                    Map<Long, RowChangeCounter.Counts> expectedCounts = new TreeMap<>();
                    for (Map.Entry<Lock, Reference> e : now.entrySet()) {
                        Lock l = e.getKey();
                        boolean counted = pre.contains(l.oid()) || fresh.contains(l);
                        if (l.mode().equals("RowExclusiveLock") && e.getValue().table() && counted) {
                            expectedCounts.put(l.oid(), counts(c, l.oid(), e.getValue().name()));
                        }
                    }
                    assertEquals(expectedCounts, new TreeMap<>(counts), "row counters, " + context);

                    seen.addAll(now.keySet());
                    for (Map.Entry<Lock, Reference> e : now.entrySet()) {
                        if (e.getValue().name() != null) {
                            names.put(e.getKey().oid(), e.getValue().name());
                        }
                    }
                    gen.settle(c);
                    run.steps++;
                }
            } finally {
                c.rollback();
            }
        }
        return run;
    }

    private record Reference(String name, boolean table) {}

    /** The plain reading: this backend's granted relation locks, by oid and mode. */
    private static Map<Lock, Reference> reference(Connection c, Map<Long, String> names) throws SQLException {
        Map<Lock, Reference> held = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(REFERENCE)) {
            while (rs.next()) {
                held.put(new Lock(rs.getLong(1), rs.getString(2)), new Reference(rs.getString(3), rs.getBoolean(4)));
            }
        }
        return held;
    }

    private static RowChangeCounter.Counts counts(Connection c, long oid, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_stat_get_xact_tuples_updated("
                + oid + "), pg_stat_get_xact_tuples_deleted(" + oid + ")")) {
            rs.next();
            return new RowChangeCounter.Counts(name, rs.getLong(1), rs.getLong(2));
        }
    }

    private static List<HeldLock> read(Connection c, LockScan.Reading reading, Map<Long, String> names,
                                       Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LockScan.QUERY)) {
            LockScan.parameters(s, 1, reading);
            try (ResultSet rs = s.executeQuery()) {
                return reading.read(rs, names, counts);
            }
        }
    }

    /** {@link LockScan.Reading#readIfNoneNew}, which remembers nothing. */
    private static boolean noneNew(Connection c, LockScan.Reading reading) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LockScan.QUERY)) {
            LockScan.parameters(s, 1, reading);
            try (ResultSet rs = s.executeQuery()) {
                return reading.readIfNoneNew(rs, new HashMap<>());
            }
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Statements that succeed on the tables as they stand: pre-existing tables p0..p3 (p3 may be
     * dropped; p0 is the one new tables point to) and the tables the steps create.
     */
    private static final class Generator {
        private final Random random;
        private final List<String> created = new ArrayList<>();
        private final List<String> preTables = new ArrayList<>(List.of("p0", "p1", "p2", "p3"));
        /** Tables created inside a savepoint that may be rolled back: known only once it is released. */
        private List<String> pending = new ArrayList<>();
        private int nextTable;
        private int nextIndex;
        private int nextId = 1000;
        private int lockSteps;

        Generator(Random random) {
            this.random = random;
        }

        List<String> step() {
            pending = new ArrayList<>();
            int kind = random.nextInt(20);
            List<String> sql = new ArrayList<>();
            if (kind == 0) {
                // a savepoint rolled back: its locks are released, except what nextval() took for the transaction
                sql.add("savepoint sp");
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    sql.add(statement(false));
                }
                sql.add("rollback to savepoint sp");
                pending.clear();
                return sql;
            }
            if (kind == 1) {
                // as the tracer runs a statement: under a savepoint, released
                sql.add("savepoint sm_step");
                sql.add(statement(true));
                sql.add("release savepoint sm_step");
                return sql;
            }
            for (int k = kind < 5 ? 2 + random.nextInt(2) : 1; k > 0; k--) {
                sql.add(statement(true));
            }
            return sql;
        }

        /** After a step: what it created, unless rolled back. */
        void settle(Connection c) {
            created.addAll(pending);
            pending.clear();
        }

        private List<String> tables() {
            List<String> all = new ArrayList<>(preTables);
            all.addAll(created);
            all.addAll(pending);
            return all;
        }

        private String any(List<String> from) {
            return from.get(random.nextInt(from.size()));
        }

        private String statement(boolean mayDrop) {
            List<String> newTables = new ArrayList<>(created);
            newTables.addAll(pending);
            switch (random.nextInt(mayDrop ? 13 : 11)) {
                case 0, 1: {
                    String t = "n" + nextTable++;
                    pending.add(t);
                    return random.nextBoolean()
                            ? "create table " + t + " (id serial primary key, v text, p int references p0 (id))"
                            : "create table " + t + " (id int, v text)";
                }
                case 2:
                    return "create index i" + nextIndex++ + " on " + any(tables()) + " (v)";
                case 3:
                    if (newTables.isEmpty()) {
                        return "select 1";
                    }
                    int from = nextId;
                    nextId += 1 + random.nextInt(20);
                    return "insert into " + any(newTables) + " (id, v) select g, 'x' || g from generate_series(" + from
                            + ", " + (nextId - 1) + ") g";
                case 4: {
                    int id = nextId++;
                    return "insert into " + any(preTables) + " values (" + id + ", 'new', " + id + ")";
                }
                case 5:
                    return "update " + any(tables()) + " set v = v || '.' where id % " + (2 + random.nextInt(5)) + " = 0";
                case 6:
                    return "delete from " + any(tables()) + " where id > 40 and id % " + (2 + random.nextInt(3)) + " = 0";
                case 7, 8:
                    return "lock table " + any(tables()) + " in " + TABLE_MODES.get(lockSteps++ % TABLE_MODES.size()) + " mode";
                case 9:
                    return "select count(*) from " + any(tables());
                case 10:
                    return "alter table " + any(tables()) + " add column c" + nextIndex++ + " int default 7";
                case 11:
                    if (newTables.isEmpty()) {
                        return "select 2";
                    }
                    String t = any(newTables);
                    created.remove(t);
                    pending.remove(t);
                    return "drop table " + t;
                default:
                    if (random.nextInt(4) == 0 && preTables.contains("p3")) {
                        preTables.remove("p3");
                        return "drop table p3";
                    }
                    return newTables.isEmpty() ? "select 3" : "truncate " + any(newTables);
            }
        }
    }
}
