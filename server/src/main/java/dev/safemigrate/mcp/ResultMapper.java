package dev.safemigrate.mcp;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.core.type.TypeReference;

import dev.safemigrate.config.Redactor;
import dev.safemigrate.tools.ResultJson;
import dev.safemigrate.tools.ToolResult;

/**
 * Between MCP's JSON and our records: snake_case names as in tool-schemas/, absent rather than
 * null for optional fields, unknown input fields rejected. The one way out of a tool result to the
 * agent, so it is where every secret the configuration resolved is cut out ({@link Redactor}).
 */
public final class ResultMapper {

    private ResultMapper() {}

    public static <I> I input(Map<String, Object> arguments, Class<I> type) {
        return ResultJson.JSON.convertValue(arguments, type);
    }

    public static Map<String, Object> structured(Object record) {
        return ResultJson.JSON.convertValue(record, new TypeReference<Map<String, Object>>() {});
    }

    static McpSchema.CallToolResult toCallToolResult(ToolResult result, Redactor redactor) {
        return McpSchema.CallToolResult.builder()
                .content(List.of(new McpSchema.TextContent(redactor.redact(result.text()))))
                .structuredContent(redactor.redactMap(structured(result.structured())))
                .isError(result.isError())
                .build();
    }
}
