import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Two builds of MigrationAnalyzer (args: old classes dir, new classes dir, dependency classpath,
 * iterations) in one JVM, runs interleaved, on AnalysisBench's workloads: the before/after baseline
 * measured in the same run. See bench/README.md.
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
}
