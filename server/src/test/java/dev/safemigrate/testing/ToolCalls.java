package dev.safemigrate.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.mcp.ToolSchemas;

/**
 * Calls a tool through a real MCP client and checks every structured result against the tool's
 * published output schema, so no test can pass on a result an agent could not rely on.
 */
public final class ToolCalls {

    private static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    private ToolCalls() {}

    public static Result call(McpSyncClient client, String tool, Object... keyValues) {
        Map<String, Object> args = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertTrue(r.structuredContent() instanceof Map, tool + " returned no structured content: " + r);
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = (Map<String, Object>) r.structuredContent();
        var valid = VALIDATOR.validate(ToolSchemas.output(tool), structured);
        if (!valid.valid()) {
            fail(tool + " result does not match tool-schemas/" + tool + ".output.json: " + valid.errorMessage()
                    + "\n" + structured);
        }
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        return new Result(Boolean.TRUE.equals(r.isError()), structured, text);
    }

    /** A tool result with path access for assertions: {@code r.get("database.verified")}. */
    public record Result(boolean isError, Map<String, Object> structured, String text) {

        public Object get(String path) {
            Object node = structured;
            for (String part : path.split("\\.")) {
                if (node instanceof Map<?, ?> m) {
                    node = m.get(part);
                } else if (node instanceof List<?> l) {
                    node = l.get(Integer.parseInt(part));
                } else {
                    return null;
                }
            }
            return node;
        }

        public String errorCode() {
            return (String) get("error.code");
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list(String path) {
            return (List<Map<String, Object>>) get(path);
        }

        @Override
        public String toString() {
            return (isError ? "ERROR " : "") + structured;
        }
    }
}
