package dev.safemigrate.mcp;

import java.util.Map;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.core.JacksonException;

import dev.safemigrate.config.Redactor;
import dev.safemigrate.tools.CallContext;
import dev.safemigrate.tools.ToolError;
import dev.safemigrate.tools.ToolException;
import dev.safemigrate.tools.ToolResult;

/**
 * The edge between the SDK and a tool: validates the arguments against the tool's input schema,
 * binds them to the input record, runs the tool, and never lets anything escape to the SDK: a
 * bug becomes an INTERNAL_ERROR result and a line on stderr, and the server keeps serving.
 */
final class ToolCallHandler<I> {

    private final ToolDefinition<I> tool;
    private final LazySchemaValidator validator;
    private final Redactor redactor;

    ToolCallHandler(ToolDefinition<I> tool, LazySchemaValidator validator, Redactor redactor) {
        this.tool = tool;
        this.validator = validator;
        this.redactor = redactor;
    }

    /** The typed result, which the audit summarises from its record ({@link ToolCallAudit}). */
    ToolResult handle(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        return call(request.arguments() == null ? Map.of() : request.arguments(),
                new ExchangeContext(exchange, request.progressToken()));
    }

    /** What the client receives: secrets cut out. */
    McpSchema.CallToolResult toMcp(ToolResult result) {
        return ResultMapper.toCallToolResult(result, redactor);
    }

    ToolResult call(Map<String, Object> arguments, CallContext context) {
        try {
            JsonSchemaValidator.ValidationResponse valid = validator.validateArguments(tool.inputSchema(), arguments);
            if (!valid.valid()) {
                return invalid(valid.errorMessage());
            }
            I input;
            try {
                input = ResultMapper.input(arguments, tool.inputType());
            } catch (JacksonException | IllegalArgumentException e) {
                return invalid(e.getMessage());
            }
            return tool.call().apply(input, context);
        } catch (RuntimeException e) {
            System.err.println("safemigrate: internal error in " + tool.name() + ": " + e);
            e.printStackTrace(System.err);
            return new ToolException(ToolError.INTERNAL_ERROR, "internal error in " + tool.name() + ": " + e,
                    "This is a bug in safemigrate, not in your input. Nothing further was done; call status to see the "
                            + "current state and report the error.").toResult();
        }
    }

    private ToolResult invalid(String why) {
        return new ToolException(ToolError.INVALID_INPUT, "invalid arguments for " + tool.name() + ": " + why,
                "Call " + tool.name() + " with arguments matching its input schema (see tools/list).").toResult();
    }
}
