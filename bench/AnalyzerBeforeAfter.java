import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Two builds of MigrationAnalyzer (args: old classes dir, new classes dir, dependency classpath,
 * iterations[, "large"]) in one JVM, runs interleaved, on AnalysisBench's workloads, or with "large" on
 * create_migration's analysis of the 15 MB of the large-input row: the before/after baseline measured
 * in the same run. See bench/README.md.
 */
public class AnalyzerBeforeAfter {
    public static void main(String[] a) throws Exception {
        String[] deps = a[2].split(":");
        Object[] analyzers = new Object[2];
        Method[] analyze = new Method[2];
        for (int k = 0; k < 2; k++) {
            List<URL> urls = new ArrayList<>();
            urls.add(new File(a[k]).toURI().toURL());
            for (String d : deps) urls.add(new File(d).toURI().toURL());
            ClassLoader l = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> c = l.loadClass("dev.safemigrate.analysis.MigrationAnalyzer");
            analyzers[k] = c.getConstructor().newInstance();
            analyze[k] = c.getMethod("analyze", String.class);
        }
        Class<?> bench = Class.forName("AnalysisBench");
        String inserts = (String) bench.getDeclaredMethod("inserts", int.class).invoke(null, 50_000);
        String ddl = (String) bench.getDeclaredMethod("mixedDdl", int.class).invoke(null, 20_000);
        int n = Integer.parseInt(a[3]);
        String[] names = {"before", "after"};
        if (a.length > 4 && a[4].equals("large")) {
            large(analyzers, n, names);
            System.exit(0);
        }
        for (String[] w : new String[][] {{"(a) 50k INSERT", inserts}, {"(b) 20k mixed DDL", ddl}}) {
            double[] best = {1e18, 1e18};
            for (int k = 0; k < 2; k++) analyze[k].invoke(analyzers[k], w[1]);   // warm-up
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2; k++) {
                    long t0 = System.nanoTime();
                    analyze[k].invoke(analyzers[k], w[1]);
                    best[k] = Math.min(best[k], (System.nanoTime() - t0) / 1e6);
                }
            }
            double mb = w[1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1e6;
            int stmts = w[0].startsWith("(a)") ? 50_000 : 20_000;
            for (int k = 0; k < 2; k++) {
                System.out.printf("%-20s %-20s %8.1f ms %8.2f MB/s %9.0f statements/s%n", w[0], names[k], best[k], mb / (best[k] / 1000), stmts / (best[k] / 1000));
            }
        }
        System.exit(0);
    }

    /**
     * create_migration's analysis of bench/ServerBench's 15 MB of INSERTs: (c) into a table the SQL
     * creates (one static analysis) and (d) into a table the catalog knows (the static analysis, then
     * the catalog-aware one: before, a second full analysis; after, MigrationAnalyzer.withFacts on the
     * first reading).
     */
    static void large(Object[] analyzers, int n, String[] names) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("create table big_import (id bigint primary key, name text, email text, score int);\n");
        for (int i = 0; sb.length() < 15_000_000; i++) {
            sb.append("insert into big_import (id, name, email, score) values (").append(i).append(", 'name ").append(i)
                    .append("', 'user").append(i).append("@example.com', ").append(i % 100).append(");\n");
        }
        String sql = sb.toString();
        String inserts = sql.substring(sql.indexOf('\n') + 1);
        double mb = sql.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1e6;
        Object[] facts = new Object[2];
        for (int k = 0; k < 2; k++) {
            ClassLoader l = analyzers[k].getClass().getClassLoader();
            Class<?> table = l.loadClass("dev.safemigrate.analysis.CatalogFacts$Table");
            Object t = table.getConstructors()[0].newInstance("public", "big_import", 0L, 8192L,
                    java.util.Map.of("id", "bigint", "name", "text", "email", "text", "score", "integer"));
            facts[k] = l.loadClass("dev.safemigrate.analysis.CatalogFacts").getConstructors()[0]
                    .newInstance("15.10", java.util.Map.of("big_import", t));
        }
        String[] rows = {"(c) 15 MB INSERT, new table", "(d) 15 MB INSERT, existing table"};
        double[][] best = {{1e18, 1e18}, {1e18, 1e18}};
        double[][] cpu = {{0, 0}, {0, 0}};
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i <= n; i++) {   // round 0 warms both
            for (int w = 0; w < 2; w++) {
                for (int k = 0; k < 2; k++) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    createMigrationAnalysis(analyzers[k], w == 0 ? sql : inserts, w == 0 ? null : facts[k]);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (i > 0 && ms < best[w][k]) {
                        best[w][k] = ms;
                        cpu[w][k] = (processCpuNanos() - c0) / 1e6;
                    }
                }
            }
        }
        for (int w = 0; w < 2; w++) {
            for (int k = 0; k < 2; k++) {
                System.out.printf("%-34s %-8s %8.1f ms %8.2f MB/s  process CPU %8.1f ms%n", rows[w], names[k], best[w][k],
                        mb / (best[w][k] / 1000), cpu[w][k]);
            }
        }
    }

    /** What create_migration runs: the static analysis, then with the facts when they apply (the bench's do). */
    static void createMigrationAnalysis(Object analyzer, String sql, Object facts) throws Exception {
        Class<?> c = analyzer.getClass();
        Method read = null;
        try {
            read = c.getMethod("read", String.class, String.class);
        } catch (NoSuchMethodException e) {
            // a build before MigrationAnalyzer.read: a second full analysis
        }
        if (read == null) {
            c.getMethod("analyze", String.class, String.class).invoke(analyzer, sql, "db");
            if (facts != null) {
                c.getMethod("analyze", String.class, String.class, facts.getClass()).invoke(analyzer, sql, "db", facts);
            }
            return;
        }
        Object first = read.invoke(analyzer, sql, "db");
        if (facts != null) {
            c.getMethod("withFacts", first.getClass(), facts.getClass()).invoke(analyzer, first, facts);
        }
    }

    /** CPU time of the whole process (every thread: the parallel reading's workers, GC, JIT). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
