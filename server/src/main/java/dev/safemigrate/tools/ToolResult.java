package dev.safemigrate.tools;

/**
 * What a tool call returns: a record mirroring the tool's output schema, a short text for
 * people, and whether it is an error the agent should act on.
 */
public record ToolResult(Object structured, String text, boolean isError) {

    public static ToolResult ok(Object structured, String text) {
        return new ToolResult(structured, text, false);
    }

    /**
     * The error's text, in the order a person decides in: what happened, what is at risk, the
     * token and until when it holds, the next step. A client that shows the model only the text
     * still gives it everything it needs to finish the workflow.
     */
    static ToolResult error(ToolException.ErrorOutput output) {
        ToolError e = output.error();
        StringBuilder text = new StringBuilder(e.code()).append(": ").append(e.message());
        if (output.confirmationToken() != null) {
            text.append("\nconfirmation_token: ").append(output.confirmationToken()).append(" (valid until ")
                    .append(output.expiresAt()).append(')');
        }
        return new ToolResult(output, text.append("\nNext: ").append(e.hint()).toString(), true);
    }
}
