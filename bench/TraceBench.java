import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunTracer;
import dev.safemigrate.db.ScriptToRun;
import dev.safemigrate.testing.GeneratedHistory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * (d) What the traced dry run costs per statement as the schema grows. A generated history shaped
 * like a real project's (240 migrations, ~1,800 statements: tables with foreign keys, indexes,
 * functions, triggers, views, column changes, small inserts) is traced on a fresh database over
 * its first 60 migrations and over all 240, and its last 60 are traced on top of the first 180
 * applied; each beside plain execution of the same statements in a transaction that is rolled
 * back, alternating, in the same run. The history comes from the test sources
 * ({@code dev.safemigrate.testing.GeneratedHistory}). Not a test; run with bench/run-trace-bench.sh.
 */
public class TraceBench {

    private static final dev.safemigrate.analysis.MigrationAnalyzer ANALYZER = new dev.safemigrate.analysis.MigrationAnalyzer();

    static final String ROLE = "sm_app";
    static EmbeddedPostgres pg;
    static int databases;
    /** The tracer of an older jar, measured in the same rounds (-Dbench.before.jar), or null. */
    static BeforeTracer before;

    public static void main(String[] args) throws Exception {
        int n = Math.max(3, args.length > 0 ? Integer.parseInt(args[0]) : 5);
        before = BeforeTracer.fromProperty();
        List<List<String>> history = GeneratedHistory.history(240);
        int total = history.stream().mapToInt(List::size).sum();
        System.out.printf("(history: %d migrations, %d statements)%n%n", history.size(), total);
        System.out.println("| row | engine | runs | min ms/stmt | median ms/stmt | max ms/stmt | median vs plain |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            pg = server;
            try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", null); Statement s = c.createStatement()) {
                s.execute("create role " + ROLE + " login");
            }
            measure(n, "(d) first 60 migrations, empty database", history.subList(0, 0), history.subList(0, 60));
            measure(n, "(d) all 240 migrations, empty database", history.subList(0, 0), history);
            measure(n, "(d) last 60 migrations over 180 applied", history.subList(0, 180), history.subList(180, 240));
        }
    }

    static void measure(int n, String row, List<List<String>> applied, List<List<String>> traced) throws Exception {
        int statements = traced.stream().mapToInt(List::size).sum();
        List<Double> plain = new ArrayList<>(), tracedMs = new ArrayList<>(), beforeMs = new ArrayList<>();
        String db = database(applied);
        for (int i = 0; i <= n; i++) {
            double p = plain(db, traced) / statements;
            double t = traced(db, traced) / statements;
            double b = 0;
            if (before != null) {
                long t0 = System.nanoTime();
                before.trace(url(db), ROLE, traced);
                b = (System.nanoTime() - t0) / 1e6 / statements;
            }
            if (i > 0) { // one warm-up round
                plain.add(p);
                tracedMs.add(t);
                beforeMs.add(b);
            }
        }
        ServerBench.report(row, "plain, rolled back", plain, null, 2);
        if (before != null) {
            ServerBench.report(row, "traced dry run, before (" + System.getProperty("bench.before.jar") + ")", beforeMs, plain, 2);
        }
        ServerBench.report(row, "traced dry run", tracedMs, plain, 2);
    }

    /** A fresh database owned by the least-privileged role, with these migrations committed. */
    static String database(List<List<String>> applied) throws SQLException {
        String db = "trace_" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", null); Statement s = c.createStatement()) {
            s.execute("create database " + db + " owner " + ROLE);
        }
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null); Statement s = c.createStatement()) {
            for (List<String> m : applied) {
                for (String sql : m) {
                    s.execute(sql);
                }
            }
        }
        return db;
    }

    static double plain(String db, List<List<String>> migrations) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null)) {
            List<String> statements = migrations.stream().flatMap(List::stream).toList();
            long t0 = System.nanoTime();
            ServerBench.rolledBack(c, statements);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    static double traced(String db, List<List<String>> migrations) throws SQLException {
        List<ScriptToRun> scripts = new ArrayList<>();
        int statements = 0;
        for (int m = 0; m < migrations.size(); m++) {
            List<ScriptToRun.Step> steps = new ArrayList<>();
            for (String sql : migrations.get(m)) {
                // as PendingTrace makes them: the analysis says which statements may run together
                dev.safemigrate.analysis.StatementAnalysis a = ANALYZER.analyze(sql + ";").statements().get(0);
                steps.add(new ScriptToRun.Step(steps.size() + 1, steps.size() + 1, sql, true, null,
                        a.plainDml() ? ScriptToRun.Step.plainDml(a.kind(), a.targets()) : null));
            }
            statements += steps.size();
            scripts.add(new ScriptToRun(String.valueOf(m + 1), "V" + (m + 1) + "__m.sql", steps));
        }
        long t0 = System.nanoTime();
        DryRunResult r = DryRunTracer.run(new ConnectionSettings(url(db), ROLE, null), scripts, Duration.ofSeconds(5),
                Duration.ofMinutes(10));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.success() || r.statementsExecuted() != statements) {
            throw new IllegalStateException("the traced run failed: " + r.failure());
        }
        return ms;
    }

    static String url(String db) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + db;
    }
}
