package dev.safemigrate.analysis;

/**
 * One statement of a migration as the splitter found it.
 *
 * @param text            the statement without its terminating semicolon and without leading comments
 * @param line            1-based line of its first token in the file
 * @param metaCommand     a psql backslash command ({@code \connect …}), which no server executes
 * @param standardStrings whether {@code standard_conforming_strings} is on where the statement runs: when
 *                        off (after a {@code SET … = off} earlier in the file) a backslash escapes inside '…'
 * @param span            where the statement lies in the file, for comparing with the readers that execute it
 */
public record SqlStatement(String text, int line, boolean metaCommand, boolean standardStrings, Span span) {

    public SqlStatement(String text, int line, boolean metaCommand) {
        this(text, line, metaCommand, true, null);
    }

    /**
     * Offsets in the file.
     *
     * @param from     where the statement's segment begins: just after the previous statement, so leading
     *                 whitespace, comments and empty statements ({@code ;;}) are included
     * @param textFrom just after the last semicolon before the statement: where Flyway's text of it begins
     *                 (leading comments included)
     * @param to       the end of its text: its terminating semicolon, or the end of the file
     * @param next  where the following segment begins: after the semicolon, or after COPY data
     * @param plain the segment holds nothing any reader could read differently (see {@link BoundaryCheck})
     * @param unterminatedCopy COPY … FROM STDIN data runs to the end of the file without its {@code \.} line
     */
    public record Span(int from, int textFrom, int to, int next, boolean plain, boolean unterminatedCopy) {}
}
