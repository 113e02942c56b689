package dev.safemigrate.mcp;

import java.util.Map;
import java.util.function.BiFunction;

import dev.safemigrate.tools.CallContext;
import dev.safemigrate.tools.ToolResult;

/**
 * One tool as MCP publishes it: name, description, annotations, the schemas from
 * tool-schemas/, and the typed call behind it.
 */
record ToolDefinition<I>(String name, String title, String description, boolean readOnly, boolean destructive,
                         boolean idempotent, Class<I> inputType, BiFunction<I, CallContext, ToolResult> call,
                         Map<String, Object> inputSchema, Map<String, Object> outputSchema) {}
