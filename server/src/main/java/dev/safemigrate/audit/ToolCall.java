package dev.safemigrate.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One tool call as the MCP edge saw it, before anything is redacted: the input to
 * {@link AuditLog#append}.
 *
 * @param structured the structured result, as the client received it
 * @param summary    what the result's own record says its audit line records ({@link Audited}), or null
 *                   to derive it from {@code structured} ({@link ResultSummary})
 */
public record ToolCall(Instant time, String session, AuditEntry.Client client, String tool,
                       Map<String, Object> arguments, boolean isError, Map<String, Object> structured,
                       long durationMs, Map<String, Object> summary) {

    public ToolCall(Instant time, String session, AuditEntry.Client client, String tool, Map<String, Object> arguments,
                    boolean isError, Map<String, Object> structured, long durationMs) {
        this(time, session, client, tool, arguments, isError, structured, durationMs, null);
    }

    /**
     * The call with the summary its result's record gives, when the record is {@link Audited}. A
     * summary that fails is a bug that must not cost the call its line: the line is then derived
     * from the structured result instead.
     */
    public ToolCall summarisedBy(Object result) {
        if (!(result instanceof Audited a)) {
            return this;
        }
        try {
            return new ToolCall(time, session, client, tool, arguments, isError, structured, durationMs, a.auditSummary());
        } catch (RuntimeException e) {
            System.err.println("safemigrate: the audit summary of a " + tool + " result failed (" + e
                    + "); its line is derived from the structured result instead");
            return this;
        }
    }

    /** The entry this call becomes, not yet placed in the chain. */
    AuditEntry toEntry() {
        Verdict verdict = Verdict.of(isError, structured);
        Object database = structured == null ? null : structured.get("database");
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = database instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new AuditEntry(0, time.truncatedTo(ChronoUnit.MILLIS).toString(), session, client, tool,
                ArgumentDigest.of(arguments == null ? Map.of() : arguments), verdict.decision(), verdict.code(),
                verdict.reason(), identity, summary != null ? summary : ResultSummary.of(structured), durationMs, null, null);
    }
}
