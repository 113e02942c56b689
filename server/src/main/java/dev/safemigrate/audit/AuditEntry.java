package dev.safemigrate.audit;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of the audit log: one tool call, as the person inspecting the agent needs to see it.
 * The field order is the order on disk, and {@code hash} is last so that the canonical form is
 * simply the line without it (see {@link AuditLine}).
 *
 * @param seq       1 for the first entry, then one more per entry: the order entries were written, which
 *                  for calls that ran at the same time need not be the order they arrived
 * @param time      when the call arrived, ISO-8601 UTC
 * @param session   the MCP session id
 * @param arguments the call's arguments with SQL digested and tokens reduced to a digest prefix
 * @param decision  allowed | refused | error
 * @param code      the error code of a refused or failed call
 * @param database  the identity block of the result, when the call touched the database
 * @param summary   what the call did, derived from its structured result
 * @param prevHash  the previous entry's hash; 64 zeros for the first entry
 */
@JsonPropertyOrder({"seq", "time", "session", "client", "tool", "arguments", "decision", "code", "reason", "database",
        "summary", "duration_ms", "prev_hash", "hash"})
public record AuditEntry(long seq, String time, String session, Client client, String tool,
                         Map<String, Object> arguments, String decision, String code, String reason,
                         Map<String, Object> database, Map<String, Object> summary, long durationMs, String prevHash,
                         String hash) {

    public static final String ALLOWED = "allowed";
    public static final String REFUSED = "refused";
    public static final String ERROR = "error";

    /** The MCP client as it named itself in {@code initialize}. */
    public record Client(String name, String version) {
        @Override
        public String toString() {
            return (name == null ? "?" : name) + (version == null ? "" : "/" + version);
        }
    }

    AuditEntry chainedAfter(long previousSeq, String previousHash) {
        return new AuditEntry(previousSeq + 1, time, session, client, tool, arguments, decision, code, reason, database,
                summary, durationMs, previousHash, null);
    }

    AuditEntry withHash(String h) {
        return new AuditEntry(seq, time, session, client, tool, arguments, decision, code, reason, database, summary,
                durationMs, prevHash, h);
    }
}
