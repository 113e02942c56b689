package dev.safemigrate.policy;

/** What apply_to_dev may do with the pending migrations, decided before anything is applied. */
public sealed interface ApplyDecision {

    /** @param backupFirst take a backup before applying; if it fails, apply nothing */
    record Allow(boolean backupFirst) implements ApplyDecision {}

    record Refuse(String code, String message, String hint) implements ApplyDecision {}

    /** Refuse with CONFIRMATION_REQUIRED and a fresh token; {@code reason} says why the given one did not count. */
    record NeedsConfirmation(String reason) implements ApplyDecision {}

    /** Ask the person through MCP elicitation, then decide with {@link ApplyGate#afterAsking}. */
    record AskPerson() implements ApplyDecision {}
}
