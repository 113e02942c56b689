package dev.safemigrate.analysis;

/**
 * One thing analysis found in one statement.
 *
 * @param rule      stable rule id, e.g. {@code drop-column}
 * @param statement 1-based index of the statement in its migration
 * @param line      1-based line in the file where the statement starts
 * @param hint      the concrete safer alternative, or what to do next
 */
public record Finding(String rule, Severity severity, int statement, int line, String message, String hint) {}
