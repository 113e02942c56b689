package dev.safemigrate.tools;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;

/** Ends a tool call early with a {@link ToolError}; the tool turns it into its result. */
public class ToolException extends Exception {

    private final ToolError error;
    private final DatabaseIdentity database;
    private final List<?> findings;
    private final Confirmation confirmation;

    public ToolException(String code, String message, String hint) {
        this(new ToolError(code, message, hint), null, null);
    }

    /** @param findings {@link Finding}s of one migration, or {@link MigrationFinding}s across pending ones */
    public ToolException(ToolError error, DatabaseIdentity database, List<?> findings) {
        this(error, database, findings, null);
    }

    ToolException(ToolError error, DatabaseIdentity database, List<?> findings, Confirmation confirmation) {
        super(error.code() + ": " + error.message());
        this.error = error;
        this.database = database;
        this.findings = findings;
        this.confirmation = confirmation;
    }

    public ToolResult toResult() {
        return ToolResult.error(new ErrorOutput(error, database, findings,
                confirmation == null ? null : confirmation.token(), confirmation == null ? null : confirmation.expiresAt(),
                confirmation == null ? null : confirmation.dataAtRisk(), confirmation == null ? null : confirmation.atRisk(),
                confirmation == null ? null : confirmation.trace()));
    }

    public ToolError error() {
        return error;
    }

    /** What a CONFIRMATION_REQUIRED refusal carries for the person to see. */
    record Confirmation(String token, String expiresAt, List<DryRunResult.DataAtRisk> dataAtRisk, List<AtRisk> atRisk,
                        TraceOrigin trace) {}

    /** The structured content of every error result. */
    public record ErrorOutput(ToolError error, DatabaseIdentity database, List<?> findings, String confirmationToken,
                              String expiresAt, List<DryRunResult.DataAtRisk> dataAtRisk, List<AtRisk> atRisk,
                              TraceOrigin trace) implements Audited {
        /** The code and message are the audit line's own fields; here, what the refusal was about. */
        @Override
        public java.util.Map<String, Object> auditSummary() {
            return FindingsSummary.of(new AuditSummary().put("trace_reused", trace == null ? null : trace.reused()), null,
                    findings).build();
        }
    }
}
