package dev.safemigrate.mcp;

import java.util.Map;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.tools.CallContext;

/** A tool call's view of the client, through the SDK exchange: elicitation and progress. */
final class ExchangeContext implements CallContext {

    private static final String APPROVE = "approve";

    private final McpSyncServerExchange exchange;
    private final Object progressToken;

    ExchangeContext(McpSyncServerExchange exchange, Object progressToken) {
        this.exchange = exchange;
        this.progressToken = progressToken;
    }

    @Override
    public boolean canAskPerson() {
        McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
        return caps != null && caps.elicitation() != null;
    }

    /** The form asks for an explicit tick: accepting the dialog without it is not an approval. */
    @Override
    public boolean askPersonToApprove(String message) {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of(APPROVE, Map.of("type", "boolean", "title", "Apply these destructive migrations",
                        "description", "Tick to apply. Leave unticked or decline to apply nothing.", "default", false)),
                "required", java.util.List.of(APPROVE));
        McpSchema.ElicitResult result = exchange.createElicitation(McpSchema.ElicitRequest.builder()
                .message(message).requestedSchema(schema).build());
        return result != null && result.action() == McpSchema.ElicitResult.Action.ACCEPT && result.content() != null
                && Boolean.TRUE.equals(result.content().get(APPROVE));
    }

    @Override
    public void progress(double done, double total, String message) {
        if (progressToken != null) {
            exchange.progressNotification(new McpSchema.ProgressNotification(progressToken, done, total, message));
        }
    }
}
