package dev.safemigrate.audit;

import java.util.Map;
import java.util.Set;

/**
 * How a call ended, for the person reading the log: {@code refused} means safemigrate said no on
 * purpose (policy, validation, an invalid request); {@code error} means something failed that
 * was meant to work (the database, pg_dump, a bug).
 */
record Verdict(String decision, String code, String reason) {

    static final Set<String> REFUSALS = Set.of("NOT_DEV_DATABASE", "POLICY_REFUSED", "CONFIRMATION_REQUIRED",
            "SQL_REJECTED", "INVALID_NAME", "INVALID_INPUT", "MIGRATION_EXISTS", "MIGRATION_APPLIED", "CHECKSUM_MISMATCH", "UNKNOWN_TOOL",
            "REQUEST_TOO_LARGE", "CONFIG_NOT_TRUSTED");

    static Verdict of(boolean isError, Map<String, Object> structured) {
        if (!isError) {
            return new Verdict(AuditEntry.ALLOWED, null, null);
        }
        String code = null;
        String reason = null;
        if (structured != null && structured.get("error") instanceof Map<?, ?> error) {
            code = error.get("code") instanceof String c ? c : null;
            reason = error.get("message") instanceof String m ? m : null;
        }
        return new Verdict(code != null && REFUSALS.contains(code) ? AuditEntry.REFUSED : AuditEntry.ERROR,
                code == null ? "UNKNOWN" : code, reason);
    }
}
