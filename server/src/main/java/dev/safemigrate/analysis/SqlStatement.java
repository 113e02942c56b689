package dev.safemigrate.analysis;

/**
 * One statement of a migration as the splitter found it.
 *
 * @param text        the statement without its terminating semicolon and without leading comments
 * @param line        1-based line of its first token in the file
 * @param metaCommand a psql backslash command ({@code \connect …}), which no server executes
 */
public record SqlStatement(String text, int line, boolean metaCommand) {}
