package dev.safemigrate.mcp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.safemigrate.tools.FirstCallWarmup;

/**
 * Once tools/list is answered, and until the first tool call comes, the server has nothing to do:
 * an agent's first call follows its user's prompt and its own thinking. This uses that time to
 * load and initialise what the first call would otherwise wait for, on one daemon thread, off the
 * path of tools/list: the JSON Schema validator and the tools' schemas, the analysis, Flyway's
 * plugins, pgjdbc's driver, the audit's digests ({@link FirstCallWarmup}). A first create_migration
 * in a fresh process took ~5x its warm time, and loaded over a thousand classes doing it. Nothing
 * here touches the project's files or a database or changes what a call answers: the inputs are
 * made up and the results thrown away.
 *
 * <p>A call that comes meanwhile is not held up by it: whatever the warm-up has loaded is what the
 * call would have loaded itself (a class is initialised once, by whichever thread comes first). A
 * failure here is written to stderr and costs only the time it would have saved.
 */
final class IdleWarmup {

    private final FirstCallWarmup tools;
    private final LazySchemaValidator validator;
    private final List<ToolDefinition<?>> definitions;
    private final AtomicBoolean started = new AtomicBoolean();

    IdleWarmup(FirstCallWarmup tools, LazySchemaValidator validator, List<ToolDefinition<?>> definitions) {
        this.tools = tools;
        this.validator = validator;
        this.definitions = definitions;
    }

    /** Starts the warm-up on its own thread, the first time only: after tools/list is answered. */
    void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::run, "safemigrate-warmup");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            for (ToolDefinition<?> def : definitions) {
                // the first call's argument check would otherwise compile the tool's schema and load the validator
                validator.validateArguments(def.inputSchema(), def.name().equals("create_migration")
                        ? Map.of("name", "warmup", "sql", FirstCallWarmup.SAMPLE) : Map.of());
                validator.validate(def.outputSchema(), Map.of());
            }
            tools.load();
            System.err.println(SafemigrateServer.WARMED_UP + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (RuntimeException | LinkageError e) {
            System.err.println("safemigrate: the warm-up failed (calls are not affected, only the first may be slower): " + e);
        }
    }
}
