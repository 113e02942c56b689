package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a migration file into statements where the server will see them begin and end. Flyway
 * executes the file: it splits it itself, and pgjdbc splits each piece again before sending it, so
 * this splitter reads SQL as PostgreSQL's lexer does and {@link BoundaryCheck} proves, per file,
 * that both of them agree with it.
 *
 * <p>Semicolons end a statement only outside strings ('…', E'…' with backslash escapes), quoted
 * identifiers, dollar quotes ($tag$…$tag$), comments ({@code --} up to a newline or carriage return,
 * and nested slash-star), parentheses, and {@code BEGIN ATOMIC … END} bodies of SQL-standard
 * functions. A backslash outside those starts a psql meta-command running to the end of the line.
 * After {@code COPY … FROM STDIN} the data lines up to {@code \.} belong to the COPY statement.
 * It follows {@code SET standard_conforming_strings}, as pgjdbc does from the server's reports: when
 * off, a backslash escapes inside plain '…' strings too. A byte order mark opening the file is
 * skipped: Flyway strips it, so the server never sees it.
 */
public final class SqlSplitter {

    /** SET [SESSION|LOCAL] standard_conforming_strings = value, or a RESET back to the default (on). */
    private static final Pattern STANDARD_STRINGS = Pattern.compile(
            "(?is)(?:set\\s+(?:session\\s+|local\\s+)?standard_conforming_strings\\s*(?:=|\\bto\\b)\\s*(\\S+)"
            + "|reset\\s+(?:standard_conforming_strings|all))\\s*");

    private SqlSplitter() {}

    public static List<SqlStatement> split(String sql) {
        return new Scan(sql).run();
    }

    private static final class Scan {
        private final String s;
        private final int n;
        private final List<SqlStatement> out = new ArrayList<>();
        private int pos;
        private int line = 1;
        private int segmentFrom;      // just after the previous statement
        private int textFrom;         // just after the last semicolon
        private int start = -1;       // offset of the current statement's first token
        private int startLine;
        private int parenDepth;
        private boolean parenUnderflow;             // a ')' without its '(': Flyway and pgjdbc then never split
        private boolean unterminated;               // a literal or comment runs to the end of the file
        private final List<int[]> dollarBodies = new ArrayList<>();   // dollar quotes every reader reads alike
        private int blockDepth;                     // BEGIN ATOMIC … END of SQL-standard function bodies
        private boolean afterBegin;                 // the previous token was BEGIN at parenthesis depth 0
        private final char[] leading = new char[4]; // first letters of CREATE/OR/REPLACE/FUNCTION/PROCEDURE
        private int wordsSeen;
        private boolean standardStrings = true;     // standard_conforming_strings, on by default since 9.1

        Scan(String sql) {
            this.s = sql;
            this.n = sql.length();
            if (n > 0 && s.charAt(0) == '\uFEFF') {
                pos = segmentFrom = textFrom = 1;   // Flyway's BomStrippingReader drops exactly this one character
            }
        }

        List<SqlStatement> run() {
            while (pos < n) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (SqlLexer.isSpace(c)) {
                    pos++;
                } else if (c == '-' && peek(1) == '-') {
                    skipLineComment();
                } else if (c == '/' && peek(1) == '*') {
                    skipBlockComment();
                } else if (c == '\\') {
                    metaCommand();
                } else if (c == ';' && parenDepth == 0 && blockDepth == 0) {
                    int end = pos++;
                    if (start < 0) {
                        textFrom = pos;   // an empty statement: Flyway discards it and starts afresh
                    } else {
                        endStatement(end, true);
                    }
                } else {
                    begin();
                    token(c);
                }
            }
            if (start >= 0) {
                endStatement(n, false);
            }
            return out;
        }

        private void token(char c) {
            boolean wasAfterBegin = afterBegin;
            afterBegin = false;
            if (c == '\'') {
                quoted('\'', !standardStrings);
            } else if (c == '"') {
                quoted('"', false);
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
                pos++;
                quoted('\'', true);
            } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x') && peek(1) == '\'') {
                pos++;
                quoted('\'', false);   // bit strings never take backslash escapes
            } else if (c == '$' && SqlLexer.dollarTagEnd(s, pos) > 0) {
                dollarQuoted();
            } else if (c == '(') {
                parenDepth++;
                pos++;
            } else if (c == ')') {
                if (parenDepth > 0) {
                    parenDepth--;
                } else {
                    parenUnderflow = true;
                }
                pos++;
            } else if (SqlLexer.identStart(c)) {
                afterBegin = wasAfterBegin;
                word();
            } else if (SqlLexer.isDigit(c)) {
                // a number is one token: "1$a$" is 1 followed by a dollar quote, as PostgreSQL reads it
                while (pos < n && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
            } else {
                pos++;
            }
        }

        /**
         * Only in a statement that starts CREATE [OR REPLACE] FUNCTION|PROCEDURE, at parenthesis
         * depth 0, BEGIN directly followed by ATOMIC opens a SQL-standard body; CASE opens a block
         * inside it and END closes one; semicolons inside do not split. A function merely named
         * {@code begin}, or a BEGIN inside a dollar-quoted body, opens nothing: PostgreSQL's grammar,
         * Flyway and pgjdbc all need the two words BEGIN ATOMIC. (psql counts any BEGIN, but psql does
         * not execute migrations.)
         */
        private void word() {
            int from = pos;
            while (pos < n && SqlLexer.identChar(s.charAt(pos))) {
                pos++;
            }
            boolean wasAfterBegin = afterBegin;
            afterBegin = false;
            // lowercased only where it is looked at: the leading words, and the words of a routine's body
            String w = null;
            if (wordsSeen < leading.length) {
                w = s.substring(from, pos).toLowerCase(Locale.ROOT);
                if (w.equals("create") || w.equals("or") || w.equals("replace") || w.equals("function") || w.equals("procedure")) {
                    leading[wordsSeen] = w.charAt(0);
                }
            }
            wordsSeen++;
            boolean routine = leading[0] == 'c' && (leading[1] == 'f' || leading[1] == 'p'
                    || (leading[1] == 'o' && leading[2] == 'r' && (leading[3] == 'f' || leading[3] == 'p')));
            if (!routine || parenDepth > 0) {
                return;
            }
            if (w == null) {
                w = s.substring(from, pos).toLowerCase(Locale.ROOT);
            }
            if (w.equals("begin")) {
                afterBegin = true;
            } else if (w.equals("atomic") && wasAfterBegin) {
                blockDepth++;
            } else if (w.equals("case") && blockDepth > 0) {
                blockDepth++;
            } else if (w.equals("end") && blockDepth > 0) {
                blockDepth--;
            }
        }

        private void begin() {
            if (start < 0) {
                start = pos;
                startLine = line;
            }
        }

        /** @param end where the text ends; {@code pos} is already past the terminating semicolon if there was one */
        private void endStatement(int end, boolean terminated) {
            // trimmed as Flyway trims what it sends (String.trim: every character up to U+0020)
            String text = s.substring(start, end).trim();
            if (text.isEmpty()) {   // control characters only: no statement, but the segment runs on
                start = -1;
                textFrom = pos;
                return;
            }
            boolean balanced = !parenUnderflow && !unterminated && parenDepth == 0 && blockDepth == 0;
            boolean scs = standardStrings;
            trackStandardStrings(text);
            boolean unterminatedCopy = copyDataIfAny(text, terminated);
            int next = pos;
            // Flyway drops a '(' that opens a statement from the text it sends (its recorder restarts on it)
            boolean plain = balanced && s.charAt(start) != '(' && plainRegion(s, segmentFrom, next, dollarBodies);
            out.add(new SqlStatement(text, startLine, false, scs,
                    new SqlStatement.Span(segmentFrom, textFrom, end, next, plain, unterminatedCopy)));
            reset(next);
        }

        private void reset(int next) {
            segmentFrom = next;
            textFrom = next;
            start = -1;
            parenDepth = 0;
            parenUnderflow = false;
            unterminated = false;
            dollarBodies.clear();
            blockDepth = 0;
            afterBegin = false;
            leading[0] = leading[1] = leading[2] = leading[3] = '\0';
            wordsSeen = 0;
        }

        /** psql and pgjdbc learn the setting from the server after each SET; a migration file is read the same way. */
        private void trackStandardStrings(String text) {
            // the pattern starts with SET or RESET, ASCII letters in either case: nothing else need be matched
            char first = text.isEmpty() ? ' ' : (char) (text.charAt(0) | 0x20);
            if (first != 's' && first != 'r') {
                return;
            }
            Matcher m = STANDARD_STRINGS.matcher(text);
            if (m.matches()) {
                String value = m.group(1);
                standardStrings = value == null || !value.toLowerCase(Locale.ROOT).matches("'?(off|false|no|0)'?");
            }
        }

        private void metaCommand() {
            if (start >= 0) {
                endStatement(pos, false);
            }
            int from = pos;
            while (pos < n && s.charAt(pos) != '\n') {
                pos++;
            }
            out.add(new SqlStatement(s.substring(from, pos).strip(), line, true, standardStrings,
                    new SqlStatement.Span(segmentFrom, textFrom, pos, pos, false, false)));
            reset(pos);
        }

        /**
         * psql and Flyway send the lines after COPY … FROM STDIN as data, from the line after the
         * semicolon up to a line holding only {@code \.}.
         *
         * @return whether the data ran to the end of the file without that line, or the file ended first
         */
        private boolean copyDataIfAny(String text, boolean terminated) {
            if (!text.regionMatches(true, 0, "copy", 0, 4)) {
                return false;   // cheap test first: this runs for every statement
            }
            String norm = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (!norm.startsWith("copy ") || !norm.matches("(?s).*\\bfrom stdin\\b.*")) {
                return false;
            }
            if (!terminated) {
                return true;   // the file ends in the COPY statement itself: no data, no end of it
            }
            int eol = s.indexOf('\n', pos);
            if (eol < 0) {
                pos = n;
                return true;
            }
            pos = eol + 1;
            line++;
            while (pos < n) {
                int end = s.indexOf('\n', pos);
                String l = s.substring(pos, end < 0 ? n : end);
                pos = end < 0 ? n : end + 1;
                if (end >= 0) {
                    line++;
                }
                if (l.strip().equals("\\.")) {
                    return false;
                }
            }
            return true;
        }

        private void quoted(char quote, boolean backslashEscapes) {
            pos++;
            while (pos < n) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    line++;
                }
                if (backslashEscapes && c == '\\' && pos + 1 < n) {
                    if (s.charAt(pos + 1) == '\n') {
                        line++;
                    }
                    pos += 2;
                    continue;
                }
                pos++;
                if (c == quote) {
                    if (pos < n && s.charAt(pos) == quote) {
                        pos++;
                        continue;
                    }
                    return;
                }
            }
            unterminated = true;
        }

        private void dollarQuoted() {
            String tag = s.substring(pos, SqlLexer.dollarTagEnd(s, pos));
            int close = s.indexOf(tag, pos + tag.length());
            int end = close < 0 ? n : close + tag.length();
            unterminated |= close < 0;
            // Flyway takes any $…$ as a tag and pgjdbc none after a name character or digit; an ASCII tag
            // after anything else opens the same quote for all, and all skip to the same closing tag
            char before = pos > 0 ? s.charAt(pos - 1) : ' ';
            if (close >= 0 && !SqlLexer.identChar(before) && tag.chars().allMatch(ch -> ch < 128)) {
                dollarBodies.add(new int[] {pos, end});
            }
            countLines(pos, end);
            pos = end;
        }

        /** PostgreSQL, Flyway and pgjdbc all end a line comment at a carriage return too. */
        private void skipLineComment() {
            while (pos < n && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
                pos++;
            }
        }

        private void skipBlockComment() {
            int depth = 0;
            while (pos < n) {
                if (s.charAt(pos) == '/' && peek(1) == '*') {
                    depth++;
                    pos += 2;
                } else if (s.charAt(pos) == '*' && peek(1) == '/') {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    if (s.charAt(pos) == '\n') {
                        line++;
                    }
                    pos++;
                }
            }
            unterminated = true;
        }

        private void countLines(int from, int to) {
            for (int i = from; i < to; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                }
            }
        }

        private char peek(int ahead) {
            return pos + ahead < n ? s.charAt(pos + ahead) : '\0';
        }
    }

    /**
     * Whether [from, to) holds nothing that Flyway, pgjdbc or PostgreSQL could read differently:
     * no dollar sign, backslash, carriage return or other control character, slash-star, JDBC escape
     * brace, non-ASCII space or byte order mark, and none of the words that switch a reader's mode
     * (BEGIN ATOMIC, COPY … FROM STDIN), except inside a dollar quote all of them see. What remains —
     * words, numbers, operators, '…' and "…" with doubled quotes, $$…$$ bodies, {@code --}
     * comments ending at a newline, balanced parentheses — all of them read alike, which
     * {@code BoundaryDifferentialTest} checks against the real parsers.
     */
    static boolean plainRegion(String s, int from, int to) {
        return plainRegion(s, from, to, List.of());
    }

    /** @param dollarBodies [start, end) of dollar quotes (tags included) that every reader reads alike: skipped */
    static boolean plainRegion(String s, int from, int to, List<int[]> dollarBodies) {
        int body = 0;
        for (int i = from; i < to; i++) {
            if (body < dollarBodies.size() && i == dollarBodies.get(body)[0]) {
                i = dollarBodies.get(body++)[1] - 1;
                continue;
            }
            char c = s.charAt(i);
            switch (c) {
                case '$', '\\', '\r', '{', '\uFEFF' -> {
                    return false;
                }
                case '*' -> {
                    if (i > from && s.charAt(i - 1) == '/') {
                        return false;
                    }
                }
                case 'a', 'A' -> {
                    if (nextMayBe(s, i, 't') && s.regionMatches(true, i, "atomic", 0, 6)) {
                        return false;
                    }
                }
                case 'c', 'C' -> {
                    if (nextMayBe(s, i, 'o') && s.regionMatches(true, i, "copy", 0, 4)) {
                        return false;
                    }
                }
                case 's', 'S' -> {
                    if (nextMayBe(s, i, 't') && s.regionMatches(true, i, "stdin", 0, 5)) {
                        return false;
                    }
                }
                default -> {
                    // other control characters, and spaces beyond ASCII: whitespace to Flyway, not to PostgreSQL
                    if ((c < ' ' && c != '\t' && c != '\n') || (c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c)))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * False only when the character after i rules out a case-insensitive match whose second letter is
     * {@code lower}: an ASCII character other than that letter in either case. Anything beyond ASCII
     * is left to {@link String#regionMatches(boolean, int, String, int, int)}, whose case folding
     * matches more than ASCII letters. A cheap filter in front of it: letters a, c and s are everywhere.
     */
    private static boolean nextMayBe(String s, int i, char lower) {
        if (i + 1 >= s.length()) {
            return false;   // regionMatches fails too: the word does not fit
        }
        char c = s.charAt(i + 1);
        return c > 127 || (c | 0x20) == lower;
    }
}
