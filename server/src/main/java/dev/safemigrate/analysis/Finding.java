package dev.safemigrate.analysis;

/**
 * One thing analysis found in one statement.
 *
 * @param rule          stable rule id, e.g. {@code drop-column}
 * @param statement     1-based index of the statement in its migration
 * @param line          1-based line in the file where the statement starts
 * @param hint          the concrete safer alternative, or what to do next
 * @param allowedFrom   the severity the rule gave before a {@code -- safemigrate:allow} comment lowered it
 *                      to info; null when not accepted on purpose
 * @param allowedReason the reason that comment gives; null when not accepted on purpose
 */
public record Finding(String rule, Severity severity, int statement, int line, String message, String hint,
                      Severity allowedFrom, String allowedReason) {

    public Finding(String rule, Severity severity, int statement, int line, String message, String hint) {
        this(rule, severity, statement, line, message, hint, null, null);
    }

    /** This finding accepted on purpose: info, with the reason and the severity it had. */
    public Finding allowed(String reason) {
        return new Finding(rule, Severity.INFO, statement, line, message, hint, severity, reason);
    }
}
