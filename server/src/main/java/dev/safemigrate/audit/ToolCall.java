package dev.safemigrate.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One tool call as the MCP edge saw it, before anything is redacted: the input to
 * {@link AuditLog#append}.
 *
 * @param structured the structured result, as the client received it
 */
public record ToolCall(Instant time, String session, AuditEntry.Client client, String tool,
                       Map<String, Object> arguments, boolean isError, Map<String, Object> structured,
                       long durationMs) {

    /** The entry this call becomes, not yet placed in the chain. */
    AuditEntry toEntry() {
        Verdict verdict = Verdict.of(isError, structured);
        Object database = structured == null ? null : structured.get("database");
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = database instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new AuditEntry(0, time.truncatedTo(ChronoUnit.MILLIS).toString(), session, client, tool,
                ArgumentDigest.of(arguments == null ? Map.of() : arguments), verdict.decision(), verdict.code(),
                verdict.reason(), identity, ResultSummary.of(tool, structured), durationMs, null, null);
    }
}
