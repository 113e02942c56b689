package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.testing.GeneratedHistory;
import dev.safemigrate.testing.TestDatabase;

/**
 * Runs of plain DML ({@link StatementRun}) against the reference, tracing every statement alone
 * ({@link DryRunTracer.Runs#ALONE}): the whole result (durations aside) must be the same, over the
 * analysis corpus, the generated 240-migration history, and DML workloads made to defeat a run
 * (foreign keys and cascades, sequences, triggers that change, insert, delete or create elsewhere,
 * tables created or first locked mid-run, SET search_path, a unique violation, statement_timeout,
 * counting turned off, {@code ?} and {@code ??} in strings). And the text pgjdbc sends for a run is
 * the text it sends for {@code Statement.execute}.
 */
class StatementRunTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();
    private static String db;

    private static final String FIXTURE = """
            create table parent (id bigint primary key, name text);
            insert into parent select g, 'p' || g from generate_series(1, 50) g;
            create table child (id bigserial primary key, parent_id bigint references parent (id) on delete cascade, v text);
            insert into child (parent_id, v) select g % 50 + 1, 'c' || g from generate_series(1, 100) g;
            create table plain (id bigint primary key, v text);
            create table other (id bigint primary key, v text);
            create table log (id bigserial primary key, what text);
            create table counters (name text primary key, n bigint);
            insert into counters values ('hits', 0);
            create table doomed (id bigint primary key);
            insert into doomed select g from generate_series(1, 30) g;
            create sequence numbers;
            create function log_it() returns trigger language plpgsql as $$
              begin insert into log (what) values (tg_table_name || ' ' || new.id); return new; end $$;
            create table logged (id bigint primary key, v text);
            create trigger logged_log after insert on logged for each row execute function log_it();
            create function count_it() returns trigger language plpgsql as $$
              begin update counters set n = n + 1 where name = 'hits'; return new; end $$;
            create table counted (id bigint primary key);
            create trigger counted_count after insert on counted for each row execute function count_it();
            create function purge_it() returns trigger language plpgsql as $$
              begin delete from doomed where id = new.id; return new; end $$;
            create table purging (id bigint primary key);
            create trigger purging_purge after insert on purging for each row execute function purge_it();
            create function make_table() returns trigger language plpgsql as $$
              begin execute format('create table made_%s (id int)', new.id); return new; end $$;
            create table making (id bigint primary key);
            create trigger making_make after insert on making for each row execute function make_table();
            create function wander() returns trigger language plpgsql as $$
              begin perform set_config('search_path', 'app, public', true); return new; end $$;
            create table wandering (id bigint primary key);
            create trigger wandering_wander after insert on wandering for each row execute function wander();
            create function number_fifth() returns trigger language plpgsql as $$
              begin if new.id = 5 then perform nextval('numbers'); end if; return new; end $$;
            create table numbered (id bigint primary key);
            create trigger numbered_number after insert on numbered for each row execute function number_fifth();
            create schema app;
            create table app.plain (id bigint primary key, v text);
            """;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("runs");
        TestDatabase.execute(db, FIXTURE);
    }

    /** What each way gives, made comparable, and how many statements ran in kept runs. */
    private record Both(DryRunResult runs, DryRunResult alone, int kept) {}

    private static Both traceBoth(String database, String role, List<ScriptToRun> scripts, Duration statementTimeout)
            throws Exception {
        ConnectionSettings settings = new ConnectionSettings(TestDatabase.url(database), role, null);
        AtomicInteger kept = new AtomicInteger();
        DryRunResult runs = DryRunTracer.run(settings, scripts, Duration.ofSeconds(5), statementTimeout,
                TrackedCatalog.Reads.TARGETED, n -> {}, DryRunTracer.Runs.BATCHED, kept::set);
        DryRunResult alone = DryRunTracer.run(settings, scripts, Duration.ofSeconds(5), statementTimeout,
                TrackedCatalog.Reads.TARGETED, n -> {}, DryRunTracer.Runs.ALONE, n -> {});
        return new Both(TargetedCatalogReadsTest.comparable(runs), TargetedCatalogReadsTest.comparable(alone), kept.get());
    }

    private static Both assertSame(String what, List<ScriptToRun> scripts) throws Exception {
        Both both = traceBoth(db, TestDatabase.APP_ROLE, scripts, Duration.ofMinutes(5));
        assertEquals(both.alone(), both.runs(), what);
        return both;
    }

    /** Steps as {@code PendingTrace} makes them for a least-privileged role: the analysis says which may join a run. */
    private static ScriptToRun script(String version, String sql) {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (StatementAnalysis s : ANALYZER.analyze(sql, "app_dev").statements()) {
            steps.add(new ScriptToRun.Step(s.index(), s.line(), s.text(), s.transactional(),
                    s.transactional() ? null : "not in a transaction",
                    s.plainDml() ? ScriptToRun.Step.plainDml(s.kind(), s.targets()) : null));
        }
        return new ScriptToRun(version, "V" + version + "__x.sql", steps);
    }

    private static String repeat(int n, java.util.function.IntFunction<String> statement) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append(statement.apply(i)).append(";\n");
        }
        return sb.toString();
    }

    @Test
    void aRunOfInsertsIsKeptAndTracesAsEachAlone() throws Exception {
        Both both = assertSame("inserts", List.of(script("1", repeat(100, i -> "insert into plain values (" + i + ", 'v" + i + "')"))));
        assertTrue(both.alone().success());
        assertTrue(both.kept() >= 90, "statements in kept runs: " + both.kept());
        assertEquals(100, both.runs().statements().stream().filter(s -> Long.valueOf(1).equals(s.rowsAffected())).count());
    }

    @Test
    void eachWorkloadThatDefeatsARunTracesAsEachAlone() throws Exception {
        List<String> workloads = List.of(
                // foreign keys, a new lock on parent's key mid-run, cascades deleting children of a pre-existing table
                repeat(10, i -> "insert into plain values (" + i + ", 'x')")
                        + repeat(10, i -> "insert into child (parent_id, v) values (" + (i % 5 + 1) + ", 'n')")
                        + repeat(5, i -> "delete from parent where id = " + (40 + i))
                        + repeat(10, i -> "insert into plain values (" + (100 + i) + ", 'y')"),
                // sequences and serials
                repeat(20, i -> "insert into child (parent_id, v) values (1, nextval('numbers')::text)"),
                // triggers inserting elsewhere, updating and deleting rows that existed before
                repeat(12, i -> "insert into logged values (" + i + ", 'l')")
                        + repeat(12, i -> "insert into counted values (" + i + ")")
                        + repeat(12, i -> "insert into plain values (" + i + ", 'between')")
                        + repeat(12, i -> "insert into purging values (" + i + ")"),
                // a trigger that creates a table on every insert
                repeat(10, i -> "insert into plain values (" + i + ", 'x')") + repeat(10, i -> "insert into making values (" + i + ")"),
                // inserts into a table the migration created, then updates and deletes of it (not data at risk)
                "create table fresh (id int primary key, v text);\n" + repeat(20, i -> "insert into fresh values (" + i + ", 'f')")
                        + repeat(10, i -> "update fresh set v = 'g' where id = " + i) + repeat(5, i -> "delete from fresh where id = " + i),
                // updates and deletes of rows that existed before, among inserts
                repeat(8, i -> "insert into plain values (" + i + ", 'x')") + "update counters set n = 5;\n"
                        + repeat(8, i -> "insert into plain values (" + (50 + i) + ", 'x')") + "delete from doomed where id < 3;\n"
                        + repeat(8, i -> "update plain set v = 'z' where id = " + i),
                // a new table locked mid-run
                repeat(12, i -> "insert into plain values (" + i + ", 'x')") + repeat(12, i -> "insert into other values (" + i + ", 'o')"),
                // SET search_path between runs, and a trigger that moves it inside one: the same name then means another table
                repeat(6, i -> "insert into plain values (" + i + ", 'public')") + "set search_path = app, public;\n"
                        + repeat(6, i -> "insert into plain values (" + i + ", 'app')") + "reset search_path;\n"
                        + repeat(6, i -> "insert into plain values (" + (10 + i) + ", 'x')") + "insert into wandering values (1);\n"
                        + repeat(6, i -> "insert into plain values (" + (20 + i) + ", 'after')"),
                // a unique violation in the middle of a run
                repeat(30, i -> "insert into plain values (" + (i == 17 ? 3 : i) + ", 'x')"),
                // ? and ?? inside strings, quoted names, comments
                repeat(20, i -> "insert into plain values (" + i + ", 'a ? b ?? c " + i + "') -- ? and ??")
                        + repeat(5, i -> "insert into \"plain\" values (" + (100 + i) + ", $$?? {fn now()}$$)"),
                // RETURNING returns rows: never in a run
                repeat(10, i -> "insert into plain values (" + i + ", 'r') returning id"));
        int kept = 0;
        for (String sql : workloads) {
            Both both = assertSame(sql, List.of(script("1", sql)));
            kept += both.kept();
        }
        assertTrue(kept >= 100, "statements in kept runs over the workloads: " + kept);
    }

    /**
     * The fifth INSERT's trigger calls nextval() on a sequence nothing locked yet: its run rolls back
     * (a new lock) yet keeps the sequence's lock, which no statement traced alone would then report.
     */
    @Test
    void aLockARolledBackRunLeavesBehindMakesTheDryRunTraceAlone() throws Exception {
        Both both = assertSame("nextval in a run", List.of(script("1",
                repeat(12, i -> "insert into numbered values (" + i + ")"))));
        assertTrue(both.alone().statements().get(4).newLocks().contains(new HeldLock("public.numbers", "RowExclusiveLock")),
                String.valueOf(both.alone().statements().get(4)));
        assertEquals(0, both.kept());
    }

    @Test
    void aRandomMixTracesAsEachAlone() throws Exception {
        List<java.util.function.IntFunction<String>> shapes = List.of(
                i -> "insert into plain values (" + i + ", 'x')",
                i -> "insert into child (parent_id, v) values (" + (i % 50 + 1) + ", 'c')",
                i -> "insert into logged values (" + i + ", 'l')",
                i -> "insert into counted values (" + i + ")",
                i -> "insert into purging values (" + (i % 40) + ")",
                i -> "update plain set v = 'u' where id = " + (i - 3),
                i -> "delete from plain where id = " + (i - 7),
                i -> "insert into other values (" + i + ", '?? " + i + "')",
                i -> "insert into making values (" + i + ")",
                i -> "create table mix_" + i + " (id int)",
                i -> "insert into plain values (" + (i % 90) + ", 'maybe a duplicate')");
        for (int seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            StringBuilder sql = new StringBuilder();
            for (int i = 1; i <= 120; i++) {
                // mostly plain inserts, so that runs form and then meet the other shapes
                int shape = random.nextInt(3) > 0 ? 0 : random.nextInt(shapes.size() - (seed % 2 == 0 ? 0 : 1));
                sql.append(shapes.get(shape).apply(i)).append(";\n");
            }
            assertSame("seed " + seed + ":\n" + sql, List.of(script("1", sql.toString()), script("2", repeat(15, i ->
                    "insert into other values (" + (1000 + i) + ", 'second migration')"))));
        }
    }

    @Test
    void aStatementTimeoutInARunIsReportedAsAlone() throws Exception {
        String sql = repeat(10, i -> "insert into plain values (" + i + ", 'x')")
                + "insert into plain select 100, 'slow' from pg_sleep(0.5);\n"
                + repeat(10, i -> "insert into plain values (" + (200 + i) + ", 'x')");
        Both both = traceBoth(db, TestDatabase.APP_ROLE, List.of(script("1", sql)), Duration.ofMillis(250));
        assertEquals(both.alone(), both.runs());
        assertFalse(both.alone().success());
        assertEquals("57014", both.alone().failure().sqlstate());
    }

    /**
     * A trigger run as the superuser turns counting off after one statement and a later one turns
     * it on again: traced alone, the dry run fails at the first; a run must not read "on" at its end
     * and keep what was not counted.
     */
    @Test
    void countingTurnedOffAndOnInsideARunFailsAsAlone() throws Exception {
        String database = TestDatabase.create("runs_counting");
        TestDatabase.executeAsSuperuser(database, """
                create table toggled (id bigint primary key, off boolean);
                create function toggle() returns trigger language plpgsql as $$
                  begin perform set_config('track_counts', case when new.off then 'off' else 'on' end, true); return new; end $$;
                create trigger toggled_toggle after insert on toggled for each row execute function toggle();
                create table victim (id bigint primary key);
                insert into victim select g from generate_series(1, 10) g;
                insert into toggled values (0, false);
                """);
        String sql = repeat(10, i -> "insert into toggled values (" + i + ", " + (i == 3) + ")")
                + "delete from victim;\n" + repeat(5, i -> "insert into toggled values (" + (20 + i) + ", false)");
        Both both = traceBoth(database, TestDatabase.SUPERUSER, List.of(script("1", sql)), Duration.ofMinutes(1));
        assertEquals(both.alone(), both.runs());
        assertFalse(both.alone().success());
        assertEquals("55000", both.alone().failure().sqlstate());
    }

    /** On the tables {@link TargetedCatalogReadsTest} makes for the corpus, so that most of it runs. */
    @Test
    void theCorpusTracesTheSameInRuns() throws Exception {
        String corpusDb = TestDatabase.create("runs_corpus");
        TestDatabase.execute(corpusDb, TargetedCatalogReadsTest.FIXTURE);
        int traced = 0;
        for (String sql : corpus()) {
            Both both = traceBoth(corpusDb, TestDatabase.APP_ROLE, List.of(script("1", sql)), Duration.ofMinutes(5));
            assertEquals(both.alone(), both.runs(), sql);
            traced += both.alone().statementsExecuted();
        }
        assertTrue(traced >= 150, "statements traced: " + traced);
    }

    @Test
    void theBenchmarkHistoryTracesTheSameInRuns() throws Exception {
        List<List<String>> history = GeneratedHistory.history(240);
        List<ScriptToRun> scripts = new ArrayList<>();
        for (int m = 0; m < history.size(); m++) {
            scripts.add(script(String.valueOf(m + 1), String.join(";\n", history.get(m)) + ";"));
        }
        String fresh = TestDatabase.create("runs_history");
        Both both = traceBoth(fresh, TestDatabase.APP_ROLE, scripts, Duration.ofMinutes(5));
        assertEquals(both.alone(), both.runs());
        assertTrue(both.alone().success(), String.valueOf(both.alone().failure()));
    }

    /**
     * The server's own record of the text it received ({@code current_query()}), for statements sent
     * with {@code Statement.execute} and the same sent as a run: equal, and equal to the text given
     * wherever pgjdbc leaves it alone (it sends {@code ??} as {@code ?} both ways, which the analysis
     * refuses: {@code BoundaryCheck}).
     */
    @Test
    void pgjdbcSendsARunsStatementsAsItSendsEachWithExecute() throws Exception {
        List<String> literals = List.of("'a ? b'", "'a ?? b'", "$$ ?? $$", "$q$?$q$", "E'\\' ?? '", "'it''s ?'",
                "'{fn now()}'", "' ; '", "'\u00e9 \u2603 ??'", "\"text\"", "'{d ''2024-01-01''}'");
        List<String> comments = List.of("", " -- ? ??\n", " /* ?? ; */", " -- {fn x()}\n");
        Random random = new Random(7);
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StringBuilder sql = new StringBuilder("insert into sent (text) select current_query() from (select 1 \"text\") x where true");
            for (int k = random.nextInt(4); k > 0; k--) {
                sql.append(" and ").append(literals.get(random.nextInt(literals.size()))).append(" is not null");
            }
            statements.add(sql.append(comments.get(random.nextInt(comments.size()))).toString());
        }
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("create temporary table sent (seq bigserial, text text)");
            for (String sql : statements) {
                s.execute(sql);
            }
            List<String> alone = sent(s);
            s.execute("truncate sent");
            Long[] rows = StatementRun.execute(s, statements);
            List<String> inRun = sent(s);
            assertEquals(statements.size(), rows.length);
            for (Long r : rows) {
                assertEquals(1L, r);
            }
            assertEquals(alone, inRun);
            int unchanged = 0;
            for (int i = 0; i < statements.size(); i++) {
                if (!statements.get(i).contains("??")) {
                    assertEquals(statements.get(i), inRun.get(i));
                    unchanged++;
                }
            }
            assertTrue(unchanged >= 30, "statements without ??: " + unchanged);
            c.rollback();
        }
    }

    private static List<String> sent(Statement s) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select text from sent order by seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = StatementRunTest.class.getResourceAsStream("/analysis/corpus.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(dev.safemigrate.testing.CorpusText.unescape(line.split("\t", 3)[2]));
                }
            }
        }
        return out;
    }
}
