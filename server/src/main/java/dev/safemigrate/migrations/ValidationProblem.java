package dev.safemigrate.migrations;

import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;

/**
 * A reason Flyway would refuse to migrate, in safemigrate's words: Flyway's own messages advise
 * {@code repair} and {@code baseline}, commands the agent does not have and must not be told to run.
 *
 * @param version the migration it concerns, or null
 */
public record ValidationProblem(Kind kind, String version, String message) {

    public enum Kind {
        /** an applied file was edited */
        CHECKSUM_MISMATCH,
        /** a migration that ran outside a transaction failed halfway */
        FAILED,
        /** an applied migration's file is gone */
        MISSING_FILE,
        /** a file below the newest applied version that was never applied: Flyway runs in order only */
        OUT_OF_ORDER,
        /** applied with another description or type than the file now has */
        CHANGED_NAME,
        /** a person marked a failed attempt rolled back, and it was never applied since (Prisma) */
        ROLLED_BACK,
        OTHER
    }

    static ValidationProblem of(String version, String description, ErrorCode code, String flywayMessage) {
        String v = version == null || version.isEmpty() ? null : version;
        String which = v == null ? "a migration" : "V" + v + (description == null ? "" : " (" + description + ")");
        if (!(code instanceof CoreErrorCode core)) {
            return new ValidationProblem(Kind.OTHER, v, which + ": " + withoutAdvice(flywayMessage));
        }
        return switch (core) {
            case CHECKSUM_MISMATCH -> new ValidationProblem(Kind.CHECKSUM_MISMATCH, v,
                    which + " was applied, and its file has been edited since (checksum mismatch)");
            case FAILED_VERSIONED_MIGRATION -> new ValidationProblem(Kind.FAILED, v,
                    which + " failed partway through and is recorded as failed; the database may hold part of it");
            case APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED -> new ValidationProblem(Kind.MISSING_FILE, v,
                    which + " was applied, but its file is no longer in the migrations folder");
            case RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED -> new ValidationProblem(Kind.OUT_OF_ORDER, v,
                    which + " was never applied, but a higher version already is: it would never run in order");
            case DESCRIPTION_MISMATCH, TYPE_MISMATCH -> new ValidationProblem(Kind.CHANGED_NAME, v,
                    which + " was applied under another name or type than its file has now (the file was renamed)");
            default -> new ValidationProblem(Kind.OTHER, v, which + ": " + withoutAdvice(flywayMessage));
        };
    }

    /** Flyway ends many messages with what to run ("Run repair…", "use baseline()…"): not for an agent. */
    private static String withoutAdvice(String message) {
        if (message == null) {
            return "invalid";
        }
        String m = message.replaceAll("(?is)\\s*(?:[^.\\n]*\\b(?:repair|baseline|flyway\\s+\\w+|-ignoreMigrationPatterns)"
                + "\\b[^.\\n]*[.\\n]?)", " ").strip();
        return m.isEmpty() ? "invalid" : m;
    }
}
