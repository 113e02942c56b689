import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * DryRunTracer as an older jar has it (-Dbench.before.jar=path/to/safemigrate.jar), loaded in a
 * class loader of its own (with the pgjdbc it was built with), so the old and the current tracer
 * run side by side, interleaved, in one benchmark process on one database.
 */
final class BeforeTracer {

    private final Constructor<?> settings, script, step;
    private final Method run, success, executed, failure;

    private BeforeTracer(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> s = loader.loadClass("dev.safemigrate.db.ConnectionSettings");
        settings = s.getConstructor(String.class, String.class, String.class);
        script = loader.loadClass("dev.safemigrate.db.ScriptToRun").getConstructor(String.class, String.class, List.class);
        step = loader.loadClass("dev.safemigrate.db.ScriptToRun$Step")
                .getConstructor(int.class, int.class, String.class, boolean.class, String.class);
        run = loader.loadClass("dev.safemigrate.db.DryRunTracer").getMethod("run", s, List.class, Duration.class, Duration.class);
        Class<?> result = loader.loadClass("dev.safemigrate.db.DryRunResult");
        success = result.getMethod("success");
        executed = result.getMethod("statementsExecuted");
        failure = result.getMethod("failure");
    }

    /** The tracer of the jar named by -Dbench.before.jar, or null when none is. */
    static BeforeTracer fromProperty() throws Exception {
        String jar = System.getProperty("bench.before.jar", "");
        if (jar.isEmpty()) {
            return null;
        }
        return new BeforeTracer(new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                ClassLoader.getPlatformClassLoader()));
    }

    /** Traces the migrations (statements per migration) as the old tracer did; fails loudly if the trace failed. */
    void trace(String url, String user, List<List<String>> migrations) throws Exception {
        List<Object> scripts = new ArrayList<>();
        int statements = 0;
        for (int m = 0; m < migrations.size(); m++) {
            List<Object> steps = new ArrayList<>();
            for (String sql : migrations.get(m)) {
                steps.add(step.newInstance(steps.size() + 1, steps.size() + 1, sql, true, null));
            }
            statements += steps.size();
            scripts.add(script.newInstance(String.valueOf(m + 1), "V" + (m + 1) + "__m.sql", steps));
        }
        Object r = run.invoke(null, settings.newInstance(url, user, null), scripts, Duration.ofSeconds(5), Duration.ofMinutes(10));
        if (!(Boolean) success.invoke(r) || (Integer) executed.invoke(r) != statements) {
            throw new IllegalStateException("the old tracer's run failed: " + failure.invoke(r));
        }
    }
}
