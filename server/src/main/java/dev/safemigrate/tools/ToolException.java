package dev.safemigrate.tools;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.db.DatabaseIdentity;

/** Ends a tool call early with a {@link ToolError}; the tool turns it into its result. */
public class ToolException extends Exception {

    private final ToolError error;
    private final DatabaseIdentity database;
    private final List<Finding> findings;

    public ToolException(String code, String message, String hint) {
        this(new ToolError(code, message, hint), null, null);
    }

    public ToolException(ToolError error, DatabaseIdentity database, List<Finding> findings) {
        super(error.code() + ": " + error.message());
        this.error = error;
        this.database = database;
        this.findings = findings;
    }

    public ToolException withDatabase(DatabaseIdentity identity) {
        return database != null ? this : new ToolException(error, identity, findings);
    }

    public ToolResult toResult() {
        return ToolResult.error(new ErrorOutput(error, database, findings));
    }

    public ToolError error() {
        return error;
    }

    /** The structured content of every error result. */
    public record ErrorOutput(ToolError error, DatabaseIdentity database, List<Finding> findings) {}
}
