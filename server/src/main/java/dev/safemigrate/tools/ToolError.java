package dev.safemigrate.tools;

/**
 * A failure the agent can act on.
 *
 * @param code stable, documented: NOT_DEV_DATABASE, SQL_REJECTED, …
 * @param hint the next step, in words an agent can follow
 */
public record ToolError(String code, String message, String hint) {

    public static final String INVALID_INPUT = "INVALID_INPUT";
    public static final String INVALID_NAME = "INVALID_NAME";
    public static final String NOT_DEV_DATABASE = "NOT_DEV_DATABASE";
    public static final String DATABASE_UNREACHABLE = "DATABASE_UNREACHABLE";
    public static final String MIGRATION_EXISTS = "MIGRATION_EXISTS";
    public static final String MIGRATION_NOT_FOUND = "MIGRATION_NOT_FOUND";
    public static final String MIGRATION_APPLIED = "MIGRATION_APPLIED";
    public static final String SQL_REJECTED = "SQL_REJECTED";
    public static final String CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH";
    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String MIGRATION_FAILED = "MIGRATION_FAILED";
    public static final String BACKUP_FAILED = "BACKUP_FAILED";
    public static final String POLICY_REFUSED = "POLICY_REFUSED";
    public static final String CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED";
    /** The configuration's policy settings are not the ones a person approved with {@code safemigrate trust}. */
    public static final String CONFIG_NOT_TRUSTED = "CONFIG_NOT_TRUSTED";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
}
