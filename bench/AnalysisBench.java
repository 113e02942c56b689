import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.safemigrate.analysis.BoundaryCheck;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.SqlSplitter;
import dev.safemigrate.analysis.SqlStatement;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Throughput of MigrationAnalyzer.analyze against JSqlParser alone (CCJSqlParserUtil.parse per
 * statement, measured in the same run) on (a) 50,000 generated INSERTs and (b) 20,000 mixed DDL
 * statements. The analyzer includes the boundary check (Flyway's and pgjdbc's parsers); its share
 * is also timed alone. Not a test; run with bench/run-analysis-bench.sh.
 */
public class AnalysisBench {

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String inserts = inserts(50_000);
        String ddl = mixedDdl(20_000);
        MigrationAnalyzer analyzer = new MigrationAnalyzer();
        // the analyzer must really find the blocked call hidden in VALUES, fast path or not
        MigrationAnalysis check = analyzer.analyze(inserts);
        if (check.findings().stream().noneMatch(f -> f.rule().equals("server-file-function"))) {
            throw new IllegalStateException("pg_read_file inside VALUES was not found");
        }
        // the boundary check runs inside analyze: a workload Flyway splits as we do has no mismatch
        for (String sql : new String[] {inserts, ddl}) {
            if (analyzer.analyze(sql).ruleIds().contains(BoundaryCheck.RULE)) {
                throw new IllegalStateException("unexpected statement-boundary-mismatch in the benchmark workload");
            }
        }
        System.out.printf("%-40s %10s %10s %12s %14s %10s%n", "workload / engine", "MB", "ms", "MB/s", "statements/s", "vs JSqlParser");
        for (String[] w : new String[][] {{"(a) 50k INSERT", inserts}, {"(b) 20k mixed DDL", ddl}}) {
            String sql = w[1];
            List<SqlStatement> split = SqlSplitter.split(sql);
            List<String> texts = split.stream().map(SqlStatement::text).toList();
            double mb = sql.getBytes(StandardCharsets.UTF_8).length / 1e6;
            int baselineIterations = w[0].startsWith("(a)") ? Math.max(1, iterations / 2) : iterations;
            double base = best(baselineIterations, () -> jsqlparserAlone(texts));
            double ours = best(iterations, () -> analyzer.analyze(sql));
            BoundaryCheck boundaries = new BoundaryCheck();
            double boundaryMs = best(iterations, () -> boundaries.check(sql, split));
            row(w[0] + " JSqlParser alone", mb, base, texts.size(), 1.0);
            row(w[0] + " safemigrate", mb, ours, texts.size(), base / ours);
            row(w[0] + "  of which boundary check", mb, boundaryMs, texts.size(), base / boundaryMs);
        }
        System.exit(0);
    }

    private static void jsqlparserAlone(List<String> texts) {
        for (String t : texts) {
            try {
                CCJSqlParserUtil.parse(t);
            } catch (Exception e) {
                // a statement JSqlParser rejects still cost its time
            }
        }
    }

    /** Best of n timed runs after one warm-up run, in milliseconds. */
    private static double best(int n, Runnable run) {
        run.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    private static void row(String name, double mb, double ms, int statements, double ratio) {
        System.out.printf("%-40s %10.2f %10.1f %12.2f %14.0f %9.1fx%n", name, mb, ms, mb / (ms / 1000),
                statements / (ms / 1000), ratio);
    }

    static String inserts(int n) {
        Random r = new Random(42);
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append("INSERT INTO customers (id, email, balance, note) VALUES (").append(i)
                    .append(", 'u").append(i).append("@example.com', ").append(r.nextInt(1_000_000) / 100.0).append(", ")
                    .append(i == n / 2 ? "pg_read_file('/etc/passwd')" : "'it''s; -- no'").append(");\n");
        }
        return b.toString();
    }

    static String mixedDdl(int n) {
        String[] shapes = {
            "CREATE TABLE t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());",
            "ALTER TABLE orders ADD COLUMN c%d text;",
            "CREATE INDEX CONCURRENTLY idx_%d ON orders (customer_id, created_at);",
            "ALTER TABLE orders ADD CONSTRAINT fk_%d FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
            "ALTER TABLE orders VALIDATE CONSTRAINT fk_%d;",
            "ALTER TABLE orders ALTER COLUMN c%d SET DEFAULT 'x';",
            "COMMENT ON COLUMN orders.c%d IS 'added by migration';",
            "DROP INDEX CONCURRENTLY IF EXISTS idx_old_%d;",
            "ALTER TABLE orders ALTER COLUMN note%d TYPE text;",
            "CREATE VIEW v%d AS SELECT id, email FROM customers WHERE active;",
            "UPDATE orders SET status = 'done' WHERE id BETWEEN %d AND 1000000;",
            "ALTER TABLE orders DROP COLUMN IF EXISTS legacy%d;",
            "CREATE TABLE audit%d (id bigint PRIMARY KEY, at timestamp, who varchar(40));",
            "DO $$ BEGIN RAISE NOTICE 'step %d'; END $$;",
            "GRANT SELECT ON orders TO reporting;",
            "CREATE OR REPLACE FUNCTION touch%d() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;",
        };
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format(shapes[i % shapes.length], i)).append('\n');
        }
        return b.toString();
    }
}
