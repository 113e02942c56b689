package dev.safemigrate.analysis;

/**
 * A {@code -- safemigrate:allow <rule-id> <reason>} comment as written, or a comment that looks
 * like one but cannot be honoured.
 *
 * @param statement the 1-based statement it stands before; 0 when it stands before none
 * @param line      1-based line of the comment
 * @param rule      the rule id it names; empty when it names none
 * @param reason    the reason it gives; empty when it gives none
 * @param problem   why it cannot be honoured (not on a line of its own, inside a statement, an unknown
 *                  directive), or null when well placed
 */
public record AllowComment(int statement, int line, String rule, String reason, String problem) {}
