package dev.safemigrate.mcp;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.audit.ToolCall;
import dev.safemigrate.tools.ToolResult;

/**
 * Records every tool call, whatever its outcome, in the audit log: it wraps each tool's call
 * handler, so it sees exactly the arguments the client sent and the result the client gets.
 * Failing to record is loud on stderr but never fails the call or stops the server: the agent's
 * work must not depend on the log's disk, and a person watching stderr learns the log has a gap.
 */
final class ToolCallAudit implements StdioGuard.RefusedCallListener {

    private final AuditLog log;

    ToolCallAudit(AuditLog log) {
        this.log = log;
    }

    /**
     * @param handler runs the tool: its typed result says what the audit line records ({@link dev.safemigrate.audit.Audited})
     * @param toMcp   the result as the client receives it, which the audit line's decision and identity are read from
     */
    BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> around(
            String tool, BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, ToolResult> handler,
            Function<ToolResult, McpSchema.CallToolResult> toMcp) {
        return (exchange, request) -> {
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            ToolResult typed = null;
            McpSchema.CallToolResult result = null;
            RuntimeException failure = null;
            try {
                typed = handler.apply(exchange, request);
                result = toMcp.apply(typed);
                return result;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                record(exchange, tool, request.arguments(), typed, result, failure, started,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        };
    }

    /** A call to a tool that does not exist, which the SDK refuses before any handler sees it. */
    @Override
    public void unknownTool(String clientName, String clientVersion, String tool, Map<String, Object> arguments) {
        refusedUnseen(clientName, clientVersion, tool, arguments, "UNKNOWN_TOOL", "no tool named '" + tool
                + "': safemigrate offers status, create_migration, show_sql, apply_to_dev, backup", "a call to unknown tool ");
    }

    /**
     * A message over the size limit, refused before it was parsed: its arguments are not known,
     * only its size and the tool its start names.
     */
    @Override
    public void tooLarge(String clientName, String clientVersion, String tool, long bytes) {
        refusedUnseen(clientName, clientVersion, tool == null ? "(not named before the size limit)" : tool,
                Map.of("message_bytes", bytes), "REQUEST_TOO_LARGE",
                "the message is " + bytes + " bytes, over the 16 MiB limit: refused unread", "an oversized call to ");
    }

    /** The line of a call refused before any handler saw it: no session, no duration. */
    private void refusedUnseen(String clientName, String clientVersion, String tool, Map<String, Object> arguments,
                               String code, String message, String whatForStderr) {
        try {
            log.append(new ToolCall(Instant.now(), null, clientName == null ? null : new AuditEntry.Client(clientName,
                    clientVersion), tool, arguments, true, Map.of("error", Map.of("code", code, "message", message)), 0));
        } catch (IOException | RuntimeException e) {
            System.err.println("safemigrate: AUDIT LOG NOT WRITTEN for " + whatForStderr + tool + ": " + e);
        }
    }

    private void record(McpSyncServerExchange exchange, String tool, Map<String, Object> arguments, ToolResult typed,
                        McpSchema.CallToolResult result, RuntimeException failure, Instant started, long durationMs) {
        try {
            McpSchema.Implementation client = exchange.getClientInfo();
            boolean isError = result == null || Boolean.TRUE.equals(result.isError());
            Map<String, Object> structured = result != null ? structured(result)
                    : Map.of("error", Map.of("code", "INTERNAL_ERROR", "message", String.valueOf(failure)));
            log.append(new ToolCall(started, exchange.sessionId(),
                    client == null ? null : new AuditEntry.Client(client.name(), client.version()), tool,
                    arguments == null ? Map.of() : arguments, isError, structured, durationMs)
                    .summarisedBy(result == null || typed == null ? null : typed.structured()));
        } catch (IOException | RuntimeException e) {
            System.err.println("safemigrate: AUDIT LOG NOT WRITTEN for a " + tool + " call: " + e
                    + " (log: " + log.file() + "). The call itself was not affected. Fix the folder's permissions or "
                    + "free disk space; then `safemigrate log --verify` checks the log.");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return result.structuredContent() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
