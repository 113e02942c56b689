package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The lock reading after each statement asks for the row counters of the tables that existed
 * before the dry run only: a table the migration created and filled is read in the statement
 * that first locked it, and never again.
 */
class LockScanTest {

    @Test
    void countersOfATableTheDryRunCreatedAreNotReadAfterTheStatementThatLockedIt() throws Exception {
        String db = TestDatabase.create("lockscan_created");
        TestDatabase.execute(db, "create table pre (id int primary key, v text); insert into pre values (1, 'x')");
        long pre = TestDatabase.queryLong(db, "select 'pre'::regclass::oid");
        try (Connection c = TestDatabase.connect(db)) {
            c.setAutoCommit(false);
            try {
                LockScan.Reading reading = new LockScan.Reading(new HeldLock.Known());
                reading.countOnly(Set.of(pre));
                Map<Long, RowChangeCounter.Counts> counts = new HashMap<>();
                run(c, "create table n (id int); insert into n values (1); update pre set v = 'y'");
                List<HeldLock> added = read(c, reading, counts);
                long created = oid(c, "n");
                assertEquals(Set.of(pre), reading.countedTables(), "only pre is read by oid from now on");
                assertEquals(1, counts.get(pre).updated());
                assertEquals(true, added.stream().anyMatch(l -> l.relation().equals("public.n")), String.valueOf(added));

                run(c, "insert into n values (2); update pre set v = 'z'");
                read(c, reading, counts);
                assertEquals(Set.of(pre), counts.keySet(), "n (oid " + created + ") is not read again");
                assertEquals(2, counts.get(pre).updated());
            } finally {
                c.rollback();
            }
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long oid(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select '" + table + "'::regclass::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<HeldLock> read(Connection c, LockScan.Reading reading, Map<Long, RowChangeCounter.Counts> counts)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LockScan.QUERY)) {
            LockScan.parameters(s, 1, reading);
            try (ResultSet rs = s.executeQuery()) {
                return reading.read(rs, new HashMap<>(), counts);
            }
        }
    }
}
