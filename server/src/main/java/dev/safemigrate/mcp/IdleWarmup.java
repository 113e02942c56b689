package dev.safemigrate.mcp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.audit.ToolCall;
import dev.safemigrate.config.Redactor;
import dev.safemigrate.tools.FirstCallWarmup;
import dev.safemigrate.tools.ToolResult;

/**
 * Once tools/list is answered, and until the first tool call comes, the server has nothing to do:
 * an agent's first call follows its user's prompt and its own thinking. This uses that time to
 * load and initialise what the first call would otherwise wait for, on one daemon thread, off the
 * path of tools/list: the JSON Schema validator and the tools' schemas, the analysis, Flyway's
 * plugins, pgjdbc's driver ({@link FirstCallWarmup}), and the way out of a create_migration
 * answer: its mapping, its output schema, its audit line (made, not written). A first create_migration
 * in a fresh process took ~5x its warm time, and loaded over a thousand classes doing it. Nothing
 * here touches the project's files or a database or changes what a call answers: the inputs are
 * made up and the results thrown away.
 *
 * <p>A call that comes meanwhile stops it after its current step (on a busy machine the two would
 * share a core), and finds whatever it has loaded: what the call would have loaded itself (a class
 * is initialised once, by whichever thread comes first). A failure here is written to stderr and
 * costs only the time it would have saved.
 */
final class IdleWarmup {

    private final FirstCallWarmup tools;
    private final LazySchemaValidator validator;
    private final List<ToolDefinition<?>> definitions;
    private final Redactor redactor;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean callCame = new AtomicBoolean();

    IdleWarmup(FirstCallWarmup tools, LazySchemaValidator validator, List<ToolDefinition<?>> definitions, Redactor redactor) {
        this.tools = tools;
        this.validator = validator;
        this.definitions = definitions;
        this.redactor = redactor;
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

    /** A tool call came: the warm-up stops after its current step, and the call has the cores to itself. */
    void callCame() {
        callCame.set(true);
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            // most of a first call's wait first: Flyway, the classes only a database reaches, the analysis
            MigrationAnalysis[] sample = new MigrationAnalysis[1];
            if (step(tools::loadFlyway) && step(tools::loadFirstCallClasses) && step(() -> sample[0] = tools.analyse())
                    && step(this::schemas)) {
                step(() -> answer(sample[0]));
            }
            System.err.println(SafemigrateServer.WARMED_UP + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    + (callCame.get() ? " (stopped early: a call came)" : ""));
        } catch (RuntimeException | LinkageError e) {
            System.err.println("safemigrate: the warm-up failed (calls are not affected, only the first may be slower): " + e);
        }
    }

    /** @return whether to go on: no call has come */
    private boolean step(Runnable step) {
        if (callCame.get()) {
            return false;
        }
        step.run();
        return !callCame.get();
    }

    /** The first call's argument check would otherwise compile the tool's schema and load the validator. */
    private void schemas() {
        for (ToolDefinition<?> def : definitions) {
            validator.validateArguments(def.inputSchema(), def.name().equals("create_migration")
                    ? Map.of("name", "warmup", "sql", FirstCallWarmup.SAMPLE) : Map.of());
        }
    }

    /** The first answer's way out: mapped, checked against the output schema, its audit line made (not written). */
    private void answer(MigrationAnalysis analysis) {
        ToolResult sample = tools.sampleAnswer(analysis);
        McpSchema.CallToolResult mapped = ResultMapper.toCallToolResult(sample, redactor);
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = (Map<String, Object>) mapped.structuredContent();
        for (ToolDefinition<?> def : definitions) {
            if (def.name().equals("create_migration") && !validator.validate(def.outputSchema(), structured).valid()) {
                throw new IllegalStateException("the warm-up's result does not match its output schema");
            }
        }
        AuditLog.rehearse(new ToolCall(Instant.now(), null, null, "create_migration",
                Map.of("name", "warmup", "sql", FirstCallWarmup.SAMPLE), false, structured, 0)
                .summarisedBy(sample.structured()));
    }
}
