package dev.safemigrate.policy;

import dev.safemigrate.config.Config.BackupBeforeApply;
import dev.safemigrate.config.Config.DestructiveMode;

/**
 * The confirmation gate: whether destructive changes may be applied, and whether a backup comes
 * first. Pure; every combination is unit-tested.
 */
public final class ApplyGate {

    public static final String CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED";
    public static final String POLICY_REFUSED = "POLICY_REFUSED";

    private ApplyGate() {}

    /**
     * @param destructive     whether anything needs a person: data at risk, a statement the dry run could not
     *                        trace, a schema changed outside safemigrate
     * @param token           the check of the {@code confirm} argument against the pending migrations
     * @param clientCanElicit whether the client declared the elicitation capability
     */
    public static ApplyDecision decide(DestructiveMode mode, BackupBeforeApply backup, boolean destructive,
                                       ConfirmationToken.Check token, boolean clientCanElicit) {
        if (!destructive) {
            return new ApplyDecision.Allow(backup == BackupBeforeApply.ALWAYS);
        }
        boolean backupFirst = backup != BackupBeforeApply.NEVER;
        return switch (mode) {
            case REFUSE -> new ApplyDecision.Refuse(POLICY_REFUSED,
                    "policy.destructive = \"refuse\": destructive or data-losing changes are never applied by the server",
                    "Show the findings to your user. A person can apply this change outside safemigrate, or change "
                            + "policy.destructive in safemigrate.toml.");
            case HUMAN -> clientCanElicit
                    ? new ApplyDecision.AskPerson()
                    : new ApplyDecision.Refuse(CONFIRMATION_REQUIRED,
                    "policy.destructive = \"human\" requires the server to ask the person directly, but this MCP client "
                            + "does not support elicitation",
                    "Use an MCP client that supports elicitation, or ask a person to set policy.destructive = \"confirm\". "
                            + "A confirmation token does not count under this policy.");
            case CONFIRM -> switch (token) {
                case VALID -> new ApplyDecision.Allow(backupFirst);
                case ABSENT -> new ApplyDecision.NeedsConfirmation("the checks show data at risk, statements the dry run "
                        + "could not trace, or a schema changed outside safemigrate");
                case EXPIRED -> new ApplyDecision.NeedsConfirmation("the confirmation token expired");
                case MISMATCH -> new ApplyDecision.NeedsConfirmation(
                        "the confirmation token does not cover the pending migrations and risks as they are now (a "
                                + "migration edited or added, or the schema changed outside safemigrate, since)");
                case MALFORMED -> new ApplyDecision.NeedsConfirmation("the confirmation token is not one this server issued");
            };
        };
    }

    /** The person's answer to the elicitation. */
    public static ApplyDecision afterAsking(boolean approved, BackupBeforeApply backup) {
        return approved
                ? new ApplyDecision.Allow(backup != BackupBeforeApply.NEVER)
                : new ApplyDecision.Refuse(POLICY_REFUSED, "the person declined to apply these destructive changes",
                "Nothing was applied. Ask your user what to change.");
    }
}
