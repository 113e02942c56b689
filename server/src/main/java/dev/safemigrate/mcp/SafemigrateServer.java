package dev.safemigrate.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;

import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.config.Redactor;
import dev.safemigrate.tools.FirstCallWarmup;
import dev.safemigrate.tools.Project;

/** Wires the five tools and the prompts into an MCP server on a transport. */
public final class SafemigrateServer {

    public static final String NAME = "safemigrate";
    public static final String VERSION = "0.1.0";
    /** How stderr's line starts once the idle warm-up is done: the start-up archive's training run waits for it. */
    public static final String WARMED_UP = "safemigrate: warmed up for the first call";

    private static final String INSTRUCTIONS = """
            safemigrate changes the schema of one PostgreSQL development database through Flyway migrations.
            Workflow: status → backup → create_migration → show_sql → apply_to_dev {dry_run: true} → apply_to_dev.
            Never run psql, flyway, prisma or any other command against a database yourself; if a tool refuses,
            show the reason to your user instead of working around it.""";

    private SafemigrateServer() {}

    /**
     * Serves over this process's stdio, behind a {@link StdioGuard}: malformed lines get JSON-RPC
     * errors, and calls to tools that do not exist are audited like every other call.
     *
     * @param onEnd runs when the client closes stdin
     */
    public static McpSyncServer serveStdio(InputStream in, OutputStream out, Project project, Runnable onEnd)
            throws IOException {
        ToolCallAudit audit = new ToolCallAudit(AuditLog.of(project.config()));
        List<ToolDefinition<?>> definitions = ToolCatalog.of(project);
        Set<String> names = definitions.stream().map(ToolDefinition::name).collect(Collectors.toUnmodifiableSet());
        StdioGuard.WholeLineOutput lines = new StdioGuard.WholeLineOutput(out);
        LazySchemaValidator validator = new LazySchemaValidator();
        IdleWarmup warmup = new IdleWarmup(new FirstCallWarmup(project), validator, definitions, project.config().redactor());
        GuardedStdioTransport transport = new GuardedStdioTransport(McpJsonDefaults.getMapper(), lines, warmup::start);
        McpSyncServer server = start(transport, definitions, audit, project.config().redactor(), validator);
        // only now: the session the guard hands messages to exists once the server is built
        StdioGuard.start(in, lines, transport, names, audit, warmup::callCame, onEnd);
        return server;
    }

    public static McpSyncServer start(McpServerTransportProvider transport, Project project) {
        return start(transport, ToolCatalog.of(project), new ToolCallAudit(AuditLog.of(project.config())),
                project.config().redactor(), new LazySchemaValidator());
    }

    private static McpSyncServer start(McpServerTransportProvider transport, List<ToolDefinition<?>> definitions,
                                       ToolCallAudit audit, Redactor redactor, LazySchemaValidator validator) {
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (ToolDefinition<?> def : definitions) {
            tools.add(specification(def, validator, audit, redactor));
        }
        return McpServer.sync(transport)
                .serverInfo(NAME, VERSION)
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).prompts(false).build())
                // arguments are validated by ToolCallHandler so that invalid calls get our stable error code
                .validateToolInputs(false)
                .jsonSchemaValidator(validator)
                .tools(tools)
                .prompts(PromptCatalog.load().stream().map(PromptCatalog::specification).toList())
                .build();
    }

    private static <I> McpServerFeatures.SyncToolSpecification specification(ToolDefinition<I> def,
                                                                              LazySchemaValidator validator,
                                                                              ToolCallAudit audit, Redactor redactor) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(def.name())
                .title(def.title())
                .description(def.description())
                .inputSchema(def.inputSchema())
                .outputSchema(def.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(def.title(), def.readOnly(), def.destructive(),
                        def.idempotent(), false, null))
                .build();
        ToolCallHandler<I> handler = new ToolCallHandler<>(def, validator, redactor);
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler(audit.around(def.name(), handler::handle, handler::toMcp)).build();
    }
}
