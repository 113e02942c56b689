package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The dry run reports the rows each statement changed in tables that existed before it, whoever
 * changed them — a trigger, a function, a procedure, a DO block — read from the transaction's own
 * row counters, as the least-privileged role the tests connect as.
 */
class RowChangeTraceTest {

    /** A database with a(id, v) and b(id, v), ten rows each, and a function, a procedure and a trigger function. */
    private static String database(String prefix) {
        String db = TestDatabase.create(prefix);
        TestDatabase.execute(db, """
                create table a (id int primary key, v text);
                create table b (id int primary key, v text);
                create table c (id int primary key);
                insert into a select g, 'x' from generate_series(1, 10) g;
                insert into b select g, 'x' from generate_series(1, 10) g;
                insert into c select g from generate_series(1, 10) g;
                create function purge_old() returns int language plpgsql as $$
                  begin delete from b where id > 7; update a set v = 'y' where id <= 4; return 0; end $$;
                create procedure touch_a() language sql as $$ update a set v = 'z' where id <= 6 $$;
                create function trim_b() returns trigger language plpgsql as $$
                  begin delete from b where id <= 2; return new; end $$;
                """);
        return db;
    }

    private static DryRunResult run(String db, String... statements) throws Exception {
        DryRunResult r = runAs(TestDatabase.APP_ROLE, db, statements);
        assertTrue(r.success(), String.valueOf(r.failure()));
        return r;
    }

    private static DryRunResult runAs(String role, String db, String... statements) throws Exception {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (int i = 0; i < statements.length; i++) {
            steps.add(new ScriptToRun.Step(i + 1, i + 1, statements[i], true, null));
        }
        return DryRunTracer.run(new ConnectionSettings(TestDatabase.url(db), role, null),
                List.of(new ScriptToRun("2", "V2__x.sql", steps)), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    /** "statement:what:object:rows" for each piece of data at risk, in order. */
    private static List<String> atRisk(DryRunResult r) {
        return r.dataAtRisk().stream().map(d -> d.index() + ":" + d.what() + ":" + d.object() + ":" + d.rows()).toList();
    }

    @Test
    void rowsATriggerDeletesInAnotherTableAreAttributedToTheInsertThatFiredIt() throws Exception {
        String db = database("rows_trigger");
        TestDatabase.execute(db, "create trigger trim after insert on a for each row execute function trim_b()");
        DryRunResult r = run(db, "insert into a values (100, 'n')");
        assertEquals(List.of("1:deleted_rows:table public.b:2"), atRisk(r));
        assertEquals(10, TestDatabase.queryLong(db, "select count(*) from b"), "the dry run rolled back");
    }

    @Test
    void rowsAFunctionAProcedureAndADoBlockChangeAreAttributedToTheirStatement() throws Exception {
        String db = database("rows_code");
        DryRunResult r = run(db, "select purge_old()", "call touch_a()",
                "do $$ begin delete from a where id = 10; end $$");
        assertEquals(List.of("1:updated_rows:table public.a:4", "1:deleted_rows:table public.b:3",
                "2:updated_rows:table public.a:6", "3:deleted_rows:table public.a:1"), atRisk(r));
    }

    @Test
    void aStatementThatChangesNoRowIsNotReported() throws Exception {
        String db = database("rows_none");
        DryRunResult r = run(db, "update a set v = 'q' where id > 1000", "select count(*) from b",
                "insert into c values (11)", "alter table a add column w int");
        assertEquals(List.of(), atRisk(r));
    }

    /** The table is already locked ACCESS EXCLUSIVE by the ALTER; the UPDATE's rows still count. */
    @Test
    void rowsChangedInATableAlreadyLockedMoreStronglyAreCounted() throws Exception {
        String db = database("rows_locked");
        DryRunResult r = run(db, "alter table a add column w int", "update a set w = 1", "lock table b in access exclusive mode",
                "delete from b where id > 5");
        assertEquals(List.of("2:updated_rows:table public.a:10", "4:deleted_rows:table public.b:5"), atRisk(r));
    }

    /**
     * The tracer finds nothing new when pg_locks holds exactly the known ones, and reads the
     * counters of the tables it already knows are held RowExclusiveLock: a table updated
     * again, many statements after its lock was first seen, is still counted, and a statement that
     * adds a single lock among hundreds already held reports it.
     */
    @Test
    void rowsAndLocksAreReadWhenNoLockIsNewAndWhenOneIsNewAmongMany() throws Exception {
        String db = database("rows_known_locks");
        List<String> statements = new ArrayList<>(List.of("update a set v = 'p' where id = 1"));
        for (int i = 0; i < 60; i++) {
            statements.add("create table n" + i + " (id int primary key)");
        }
        statements.add("update a set v = 'q' where id <= 3");
        statements.add("select 1");
        statements.add("lock table c in share mode");
        statements.add("delete from a where id = 10");
        DryRunResult r = run(db, statements.toArray(String[]::new));
        assertEquals(List.of("1:updated_rows:table public.a:1", "62:updated_rows:table public.a:3",
                "65:deleted_rows:table public.a:1"), atRisk(r));
        assertEquals(List.of(), r.statements().get(61).newLocks(), "a was locked by statement 1");
        assertEquals(List.of(new HeldLock("public.c", "ShareLock")), r.statements().get(63).newLocks());
    }

    @Test
    void rowsInATableTheMigrationCreatedWereNotThereBeforeAndAreNotAtRisk() throws Exception {
        String db = database("rows_new");
        DryRunResult r = run(db, "create table n (id int, v text)", "insert into n select g, 'x' from generate_series(1, 5) g",
                "update n set v = 'y'", "delete from n where id > 2");
        assertEquals(List.of(), atRisk(r));
    }

    /**
     * A TRUNCATE lowers the transaction's counters when its savepoint is released, and the
     * tracer rolls a TRUNCATE back and runs it again to count what it empties: neither may make
     * a later statement's count wrong.
     */
    @Test
    void countsStayExactAcrossATruncateAndTheTracersRollbackToItsSavepoint() throws Exception {
        String db = database("rows_truncate");
        DryRunResult r = run(db, "delete from b where id <= 3", "truncate b",
                "insert into b select g, 'n' from generate_series(1, 5) g", "delete from b where id <= 4",
                "update a set v = 'w' where id <= 2");
        assertEquals(List.of("1:deleted_rows:table public.b:3", "2:truncated_rows:table public.b:7",
                "4:deleted_rows:table public.b:4", "5:updated_rows:table public.a:2"), atRisk(r));
    }

    /**
     * A statement that drops a table runs twice (once to find the drop, once after counting the
     * rows): the rows it deletes elsewhere count once, and the dropped table's rows are reported
     * as dropped, not also as deleted.
     */
    @Test
    void aStatementThatDeletesAndDropsCountsEachRowOnce() throws Exception {
        String db = database("rows_drop");
        DryRunResult r = run(db, "do $$ begin delete from b where id <= 2; delete from c where id <= 4; drop table c; end $$",
                "delete from b where id = 10");
        assertEquals(List.of("1:table_rows:table public.c:10", "1:deleted_rows:table public.b:2",
                "2:deleted_rows:table public.b:1"), atRisk(r));
    }

    /**
     * A TRUNCATE moves no row counter. Run by a trigger, a function or a DO block, it shows only as
     * a table whose storage was replaced and which is empty afterwards: its rows are counted before
     * the statement runs and reported lost. A rewrite that keeps the rows reports them as rewritten,
     * and an empty table rewritten is not at risk.
     */
    @Test
    void rowsTruncatedByCodeAreCountedBeforeTheStatementRanAndReportedLost() throws Exception {
        String db = database("rows_code_truncate");
        TestDatabase.execute(db, """
                create table e (id int);
                create function empty_b() returns trigger language plpgsql as $$ begin truncate b; return new; end $$;
                create trigger empty_b after insert on a for each row execute function empty_b();
                create function refill_c() returns int language plpgsql as $$
                  begin truncate c; insert into c values (1); return 0; end $$;
                """);
        DryRunResult r = run(db, "insert into a values (11, 'n')", "do $$ begin truncate e; end $$",
                "select refill_c()", "alter table a alter column id type bigint");
        assertEquals(List.of("1:truncated_rows:table public.b:10", "3:rewritten_rows:table public.c:10",
                "4:rewritten_rows:table public.a:11"), atRisk(r));
        assertEquals(10, TestDatabase.queryLong(db, "select count(*) from b"), "nothing was truncated for real");
    }

    /**
     * A role allowed to turn PostgreSQL's counting off (a superuser a person allowed) cannot use
     * that to delete rows unseen: the dry run fails at the statement that turned it off.
     */
    @Test
    void turningCountingOffFailsTheDryRunInsteadOfHidingADelete() throws Exception {
        String db = database("rows_untracked");
        DryRunResult r = runAs(TestDatabase.SUPERUSER, db, "set track_counts = off", "delete from b");
        assertFalse(r.success(), "the dry run must not report a traced success: " + r.dataAtRisk());
        assertEquals(1, r.failure().index(), r.failure().toString());
        assertTrue(r.failure().message().contains("track_counts"), r.failure().message());
        assertEquals(10, TestDatabase.queryLong(db, "select count(*) from b"));
    }
}
