import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunTracer;
import dev.safemigrate.db.ScriptToRun;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What tracing costs: the same statements run once plainly inside a transaction that is rolled
 * back (the baseline, measured in the same run, on the same database) and once through
 * DryRunTracer, which reads catalogs, locks and doomed rows around every statement. Workloads:
 * (a) 1,000 INSERTs into a table among 50, (b) 200 DDL statements (CREATE TABLE, ADD COLUMN,
 * CREATE INDEX, DROP COLUMN). With -Dbench.before.jar, an older jar's tracer runs in the same
 * rounds. Not a test; run with bench/run-dry-run-bench.sh.
 */
public class DryRunBench {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BeforeTracer before = BeforeTracer.fromProperty();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            ConnectionSettings db = new ConnectionSettings(pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                for (int i = 0; i < 50; i++) {
                    s.execute("create table t" + i + " (id bigint primary key, v text)");
                }
                s.execute("insert into t0 select g, 'x' from generate_series(1, 10000) g");
            }
            System.out.printf("%-34s %10s %14s %12s%n", "workload / engine", "ms", "statements/s", "x plain");
            for (Object[] w : new Object[][] {{"(a) 1,000 INSERTs", inserts(1000)}, {"(b) 200 DDL statements", ddl(200)}}) {
                @SuppressWarnings("unchecked")
                List<String> statements = (List<String>) w[1];
                // plain, before (when given) and traced alternate within each round: same load for each
                List<Runnable> engines = new ArrayList<>(List.of(() -> plain(db, statements), () -> traced(db, statements)));
                if (before != null) {
                    engines.add(() -> {
                        try {
                            before.trace(db.url(), db.user(), List.of(statements));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                double[] best = best(iterations, engines);
                row(w[0] + " plain, rolled back", best[0], statements.size(), 1.0);
                if (before != null) {
                    row(w[0] + " traced, before", best[2], statements.size(), best[2] / best[0]);
                }
                row(w[0] + " traced dry run", best[1], statements.size(), best[1] / best[0]);
            }
        }
    }

    private static List<String> inserts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("insert into t1 values (" + i + ", 'value " + i + "')");
        }
        return out;
    }

    private static List<String> ddl(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            out.add("create table n" + i + " (id bigint primary key, v text)");
            out.add("alter table n" + i + " add column w text");
            out.add("create index n" + i + "_v on n" + i + " (v)");
            out.add("alter table n" + i + " drop column w");
        }
        return out;
    }

    private static void plain(ConnectionSettings db, List<String> statements) {
        try (Connection c = db.open()) {
            ServerBench.rolledBack(c, statements);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void traced(ConnectionSettings db, List<String> statements) {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            // as PendingTrace makes them: the analysis says which statements may run together
            StatementAnalysis a = ANALYZER.analyze(statements.get(i) + ";").statements().get(0);
            steps.add(new ScriptToRun.Step(i + 1, i + 1, statements.get(i), true, null,
                    a.plainDml() ? ScriptToRun.Step.plainDml(a.kind(), a.targets()) : null));
        }
        try {
            DryRunResult r = DryRunTracer.run(db, List.of(new ScriptToRun("1", "V1__bench.sql", steps)),
                    Duration.ofSeconds(5), Duration.ofMinutes(10));
            if (!r.success() || r.statementsExecuted() != statements.size()) {
                throw new IllegalStateException("the traced run failed: " + r.failure());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Best of n timed rounds after one warm-up round, in milliseconds, for each engine; the engines alternate. */
    private static double[] best(int n, List<Runnable> engines) {
        double[] best = new double[engines.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int i = 0; i <= n; i++) {
            for (int e = 0; e < engines.size(); e++) {
                long t0 = System.nanoTime();
                engines.get(e).run();
                if (i > 0) {
                    best[e] = Math.min(best[e], (System.nanoTime() - t0) / 1e6);
                }
            }
        }
        return best;
    }

    private static void row(String name, double ms, int statements, double ratio) {
        System.out.printf("%-34s %10.1f %14.0f %11.2fx%n", name, ms, statements / (ms / 1000), ratio);
    }
}
