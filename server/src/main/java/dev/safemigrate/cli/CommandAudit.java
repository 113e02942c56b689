package dev.safemigrate.cli;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.audit.ToolCall;
import dev.safemigrate.config.Config;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.mcp.SafemigrateServer;

/**
 * What a person's command did to the development database, in the log the agents' calls go to:
 * a restore, a baseline or a marker changes what every later call sees, so whoever reads the log
 * must find it between those calls, chained and sealed like them. Only commands that changed (or
 * tried to change, and failed halfway) the database, or what the server may do to it (an approval
 * by {@code trust}), are recorded; a refusal at the terminal changed nothing. The password a command generates is never part of the line.
 */
final class CommandAudit {

    /** The client of a person's command: the command line, never an MCP client. */
    static final AuditEntry.Client TERMINAL = new AuditEntry.Client("safemigrate-cli (a person at a terminal)",
            SafemigrateServer.VERSION);

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final Config config;
    private final CommandContext ctx;
    private final String command;
    private final Map<String, Object> arguments;
    private final Instant started;

    CommandAudit(Config config, CommandContext ctx, String command, Map<String, Object> arguments) {
        this.config = config;
        this.ctx = ctx;
        this.command = command;
        this.arguments = arguments;
        this.started = ctx.clock().instant();
    }

    /** The change was made: the facts a person needs to find it again. */
    void changed(DatabaseIdentity database, Map<String, Object> summary) {
        append(database, false, null, null, summary);
    }

    /** Something was (or may have been) changed and then failed: the reason, with the same facts. */
    void failed(DatabaseIdentity database, String code, String message, Map<String, Object> summary) {
        append(database, true, code, message, summary);
    }

    private void append(DatabaseIdentity database, boolean isError, String code, String message, Map<String, Object> summary) {
        Map<String, Object> structured = new LinkedHashMap<>();
        if (database != null) {
            structured.put("database", JSON.convertValue(database, new TypeReference<Map<String, Object>>() {}));
        }
        if (isError) {
            structured.put("error", Map.of("code", code, "message", message));
        }
        long durationMs = Math.max(0, ctx.clock().millis() - started.toEpochMilli());
        try {
            AuditLog.of(config).append(new ToolCall(started, null, TERMINAL, command, arguments, isError, structured,
                    durationMs, summary));
        } catch (IOException | RuntimeException e) {
            ctx.err().println("safemigrate " + command + ": AUDIT LOG NOT WRITTEN (" + e.getMessage() + "): the change "
                    + "above is not in " + config.audit().log() + ".");
        }
    }
}
