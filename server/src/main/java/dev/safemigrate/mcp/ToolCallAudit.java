package dev.safemigrate.mcp;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.audit.ToolCall;
import dev.safemigrate.tools.ToolResult;

/**
 * Records every tool call, whatever its outcome, in the audit log. Failing to record is loud on
 * stderr but never fails the call or stops the server: the agent's work must not depend on the
 * log's disk, and a person watching stderr learns the log has a gap.
 */
final class ToolCallAudit {

    private final AuditLog log;

    ToolCallAudit(AuditLog log) {
        this.log = log;
    }

    void record(McpSyncServerExchange exchange, String tool, Map<String, Object> arguments, ToolResult result,
                Instant started, long durationMs) {
        try {
            McpSchema.Implementation client = exchange.getClientInfo();
            log.append(new ToolCall(started, exchange.sessionId(),
                    client == null ? null : new AuditEntry.Client(client.name(), client.version()), tool, arguments,
                    result.isError(), ResultMapper.structured(result.structured()), durationMs));
        } catch (IOException | RuntimeException e) {
            System.err.println("safemigrate: AUDIT LOG NOT WRITTEN for a " + tool + " call: " + e
                    + " (log: " + log.file() + "). The call itself was not affected. Fix the folder's permissions or "
                    + "free disk space; then `safemigrate log --verify` checks the log.");
        }
    }
}
