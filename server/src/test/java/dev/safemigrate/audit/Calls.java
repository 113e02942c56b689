package dev.safemigrate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tool calls to feed the audit log in tests. */
final class Calls {

    private Calls() {}

    /** A call whose result's record says its own summary, as every tool's Output does. */
    static ToolCall allowed(String tool) {
        Audited summary = () -> new AuditSummary().put("applied", 1).put("pending", 0).put("failed", 0).build();
        return unsummarised(tool).summarisedBy(summary);
    }

    /** The same call before its record summarised it: only the structured result is known. */
    static ToolCall unsummarised(String tool) {
        return new ToolCall(Instant.parse("2026-11-25T10:00:00.123Z"), "session-1", new AuditEntry.Client("tests", "1.0"),
                tool, Map.of(), false, Map.of("summary", Map.of("applied", 1, "pending", 0, "failed", 0),
                        "migrations_dir", "db/migrations", "migrations", List.of(Map.of("version", "1"))), 7);
    }

    static ToolCall withArguments(String tool, Map<String, Object> arguments) {
        return new ToolCall(Instant.parse("2026-11-25T10:00:00Z"), "session-1", new AuditEntry.Client("tests", "1.0"),
                tool, arguments, false, Map.of("version", "1", "findings", List.of()), 3);
    }

    static ToolCall failed(String tool, String code, String message) {
        return new ToolCall(Instant.parse("2026-11-25T10:00:00Z"), "session-1", new AuditEntry.Client("tests", "1.0"),
                tool, Map.of(), true, Map.of("error", Map.of("code", code, "message", message, "hint", "do x")), 3);
    }
}
