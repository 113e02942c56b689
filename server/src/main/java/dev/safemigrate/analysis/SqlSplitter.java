package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits SQL into statements the way psql does: semicolons end a statement only outside
 * strings ('…', E'…' with backslash escapes), quoted identifiers, dollar quotes ($tag$…$tag$),
 * comments (-- and nested slash-star), parentheses, and BEGIN … END bodies of SQL-standard
 * functions. A backslash outside those starts a psql meta-command running to the end of the line.
 * After {@code COPY … FROM STDIN} the data lines up to {@code \.} belong to the COPY statement.
 * Like psql, it follows {@code SET standard_conforming_strings}: when off, a backslash escapes
 * inside plain '…' strings too.
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
        private int start = -1;       // offset of the current statement's first token
        private int startLine;
        private int parenDepth;
        private int blockDepth;       // BEGIN … END inside CREATE FUNCTION/PROCEDURE bodies
        private final char[] leading = new char[4]; // psql's heuristic: first letters of CREATE/OR/REPLACE/FUNCTION/PROCEDURE
        private int wordsSeen;
        private boolean standardStrings = true;     // standard_conforming_strings, on by default since 9.1
        private boolean justEnded;                  // a statement was emitted by the last semicolon

        Scan(String sql) {
            this.s = sql;
            this.n = sql.length();
        }

        List<SqlStatement> run() {
            while (pos < n) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '-' && peek(1) == '-') {
                    skipLineComment();
                } else if (c == '/' && peek(1) == '*') {
                    skipBlockComment();
                } else if (c == '\\') {
                    metaCommand();
                } else if (c == ';' && parenDepth == 0 && blockDepth == 0) {
                    justEnded = false;
                    endStatement(pos);
                    pos++;
                    if (justEnded) {
                        copyDataIfAny();
                    }
                } else {
                    begin();
                    token(c);
                }
            }
            if (start >= 0) {
                endStatement(n);
            }
            return out;
        }

        private void token(char c) {
            if (c == '\'') {
                quoted('\'', !standardStrings);
            } else if (c == '"') {
                quoted('"', false);
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'' && !SqlLexer.identChar(prev())) {
                pos++;
                quoted('\'', true);
            } else if (c == '$' && SqlLexer.dollarTagEnd(s, pos) > 0) {
                dollarQuoted();
            } else if (c == '(') {
                parenDepth++;
                pos++;
            } else if (c == ')') {
                if (parenDepth > 0) {
                    parenDepth--;
                }
                pos++;
            } else if (SqlLexer.identStart(c)) {
                word();
            } else {
                pos++;
            }
        }

        /**
         * psql's own heuristic (psqlscan.l): only in a statement that starts CREATE [OR REPLACE]
         * FUNCTION|PROCEDURE, at parenthesis depth 0, BEGIN opens a block (BEGIN ATOMIC … END),
         * CASE opens one inside a block, and END closes one; semicolons inside do not split.
         */
        private void word() {
            int from = pos;
            while (pos < n && SqlLexer.identChar(s.charAt(pos))) {
                pos++;
            }
            String w = s.substring(from, pos).toLowerCase(Locale.ROOT);
            if (wordsSeen < leading.length && (w.equals("create") || w.equals("or") || w.equals("replace")
                    || w.equals("function") || w.equals("procedure"))) {
                leading[wordsSeen] = w.charAt(0);
            }
            wordsSeen++;
            boolean routine = leading[0] == 'c' && (leading[1] == 'f' || leading[1] == 'p'
                    || (leading[1] == 'o' && leading[2] == 'r' && (leading[3] == 'f' || leading[3] == 'p')));
            if (!routine || parenDepth > 0) {
                return;
            }
            if (w.equals("begin")) {
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

        private void endStatement(int end) {
            if (start >= 0) {
                String text = s.substring(start, end).strip();
                if (!text.isEmpty()) {
                    out.add(new SqlStatement(text, startLine, false));
                    justEnded = true;
                    trackStandardStrings(text);
                }
            }
            start = -1;
            parenDepth = 0;
            blockDepth = 0;
            Arrays.fill(leading, '\0');
            wordsSeen = 0;
        }

        /** psql learns the setting from the server after each SET; a migration file is read the same way. */
        private void trackStandardStrings(String text) {
            Matcher m = STANDARD_STRINGS.matcher(text);
            if (m.matches()) {
                String value = m.group(1);
                standardStrings = value == null || !value.toLowerCase(Locale.ROOT).matches("'?(off|false|no|0)'?");
            }
        }

        private void metaCommand() {
            if (start >= 0) {
                endStatement(pos);
            }
            int from = pos;
            while (pos < n && s.charAt(pos) != '\n') {
                pos++;
            }
            out.add(new SqlStatement(s.substring(from, pos).strip(), line, true));
        }

        /** psql sends the lines after COPY … FROM STDIN as data, up to a line holding only \. */
        private void copyDataIfAny() {
            if (out.isEmpty()) {
                return;
            }
            SqlStatement last = out.get(out.size() - 1);
            String norm = last.text().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (!norm.startsWith("copy ") || !norm.matches("(?s).*\\bfrom stdin\\b.*")) {
                return;
            }
            int eol = s.indexOf('\n', pos);
            if (eol < 0) {
                return;
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
                    return;
                }
            }
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
        }

        private void dollarQuoted() {
            String tag = s.substring(pos, SqlLexer.dollarTagEnd(s, pos));
            int close = s.indexOf(tag, pos + tag.length());
            int end = close < 0 ? n : close + tag.length();
            countLines(pos, end);
            pos = end;
        }

        private void skipLineComment() {
            while (pos < n && s.charAt(pos) != '\n') {
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

        private char prev() {
            return pos > 0 ? s.charAt(pos - 1) : '\0';
        }
    }
}
