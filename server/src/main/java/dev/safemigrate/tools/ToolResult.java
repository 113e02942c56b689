package dev.safemigrate.tools;

/**
 * What a tool call returns: a record mirroring the tool's output schema, a short text for
 * people, and whether it is an error the agent should act on.
 */
public record ToolResult(Object structured, String text, boolean isError) {

    public static ToolResult ok(Object structured, String text) {
        return new ToolResult(structured, text, false);
    }

    static ToolResult error(ToolException.ErrorOutput output) {
        ToolError e = output.error();
        return new ToolResult(output, e.code() + ": " + e.message() + "\nNext: " + e.hint(), true);
    }
}
