package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The digest of what a database shows stays equal through what autovacuum does after a large
 * rolled-back dry run (ANALYZE, a VACUUM that truncates, each committing a transaction) and
 * changes with anything another session does to rows or objects — even rows deleted and then
 * vacuumed away, which leave no row version behind to find.
 */
class VisibleContentsTest {

    private final String db = TestDatabase.create("visible");

    private ClusterMark mark() throws SQLException {
        try (Connection c = TestDatabase.connect(db)) {
            return ClusterMark.read(c, null, true, null);
        }
    }

    private void setUp() {
        TestDatabase.execute(db, "create table t (id bigint primary key, note text); create table keep (id bigint);"
                + "insert into t select g, 'n' || g from generate_series(1, 10) g;"
                + "insert into keep select g from generate_series(1, 10) g");
    }

    @Test
    void analyzeAndATruncatingVacuumCommitTransactionsButChangeNothingVisible() throws Exception {
        setUp();
        // what a dry run leaves: rolled-back rows at the end of a table, dead catalog rows
        try (Connection c = TestDatabase.connect(db)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("insert into t select g, 'x' from generate_series(11, 5000) g; create table gone (id int)");
            }
            c.rollback();
        }
        ClusterMark before = mark();
        TestDatabase.executeAsSuperuser(db, "analyze t");
        TestDatabase.executeAsSuperuser(db, "vacuum t");
        ClusterMark after = mark();
        assertNotEquals(before.snapshot(), after.snapshot(), "ANALYZE committed a transaction");
        assertNotNull(before.contents(), before.contentsUnavailable());
        assertEquals(before.contents(), after.contents());
        assertNull(after.changedSince(before));
    }

    @Test
    void rowsDeletedAndVacuumedAwayAreAChange() throws Exception {
        setUp();
        ClusterMark before = mark();
        TestDatabase.execute(db, "delete from keep where id > 5");
        TestDatabase.executeAsSuperuser(db, "vacuum keep");
        assertEquals(5, TestDatabase.queryLong(db, "select count(*) from keep"));
        ClusterMark after = mark();
        assertNotEquals(before.contents(), after.contents());
        assertTrue(after.changedSince(before).contains("changed rows or objects"), after.changedSince(before));
    }

    @Test
    void anUpdateAnInsertAndDdlAreChanges() throws Exception {
        setUp();
        ClusterMark base = mark();
        for (String change : new String[] {"update t set note = note where id = 3", "insert into keep values (11)",
                "create index t_note on t (note)", "comment on table t is 'x'"}) {
            TestDatabase.execute(db, change);
            ClusterMark now = mark();
            assertNotEquals(base.contents(), now.contents(), change);
            assertNotNull(now.changedSince(base), change);
            base = now;
        }
    }

    @Test
    void aRoleGivenNewPowersIsAChange() throws Exception {
        setUp();
        String role = "visible_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        TestDatabase.executeAsSuperuser(db, "create role " + role);
        ClusterMark before = mark();
        TestDatabase.executeAsSuperuser(db, "alter role " + role + " bypassrls");
        assertNotEquals(before.contents(), mark().contents(), "pg_authid is read through pg_roles");
        TestDatabase.executeAsSuperuser(db, "drop role " + role);
    }

    @Test
    void whatTheRoleCannotSeeRefusesTheComparison() throws Exception {
        setUp();
        TestDatabase.execute(db, "alter table t enable row level security");
        ClusterMark rls = mark();
        assertNull(rls.contents());
        assertTrue(rls.contentsUnavailable().contains("row-level security"), rls.contentsUnavailable());
        TestDatabase.execute(db, "alter table t disable row level security");
        TestDatabase.executeAsSuperuser(db, "create table hidden (id int); insert into hidden values (1)");
        ClusterMark hidden = mark();
        assertNull(hidden.contents());
        assertTrue(hidden.contentsUnavailable().contains("cannot read public.hidden"), hidden.contentsUnavailable());
        TestDatabase.executeAsSuperuser(db, "insert into hidden values (2)");
        assertNotNull(mark().changedSince(hidden), "without the comparison, any completed transaction is a change");
    }

    @Test
    void aMarkWithoutContentsCountsEveryCompletedTransaction() {
        ClusterMark a = new ClusterMark("10:10:", "7", 5, "t0", 0, 0, "d", false, "c", null);
        assertNull(new ClusterMark("10:12:", "7", 5, "t0", 0, 0, "d", false, "c", null).changedSince(a));
        assertNotNull(new ClusterMark("10:12:", "7", 5, "t0", 0, 0, "d", false, "c2", null).changedSince(a));
        assertNotNull(new ClusterMark("10:12:", "7", 5, "t0", 0, 0, "d", false).changedSince(a));
        assertNotNull(new ClusterMark("10:12:", "7", 5, "t0", 0, 0, "e", false, "c", null).changedSince(a),
                "the sequences are compared as before");
        assertNotNull(new ClusterMark("10:12:", "7", 5, "t1", 0, 0, "d", false, "c", null).changedSince(a),
                "a restart is a change");
    }
}
