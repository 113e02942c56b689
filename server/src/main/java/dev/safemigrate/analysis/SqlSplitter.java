package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL into statements the way psql does: semicolons end a statement only outside
 * strings ('…', E'…' with backslash escapes), quoted identifiers, dollar quotes ($tag$…$tag$),
 * comments (-- and nested slash-star), parentheses, and BEGIN … END bodies of SQL-standard
 * functions. A backslash outside those starts a psql meta-command running to the end of the line.
 * After {@code COPY … FROM STDIN} the data lines up to {@code \.} belong to the COPY statement.
 */
public final class SqlSplitter {

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
        private boolean routine;      // the current statement creates a function or procedure
        private int wordsSeen;        // leading words, to recognise CREATE [OR REPLACE] FUNCTION

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
                    endStatement(pos);
                    pos++;
                    copyDataIfAny();
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
                quoted('\'', false);
            } else if (c == '"') {
                quoted('"', false);
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'' && !identChar(prev())) {
                pos++;
                quoted('\'', true);
            } else if (c == '$' && !identChar(prev()) && dollarTagLength() > 0) {
                dollarQuoted();
            } else if (c == '(') {
                parenDepth++;
                pos++;
            } else if (c == ')') {
                if (parenDepth > 0) {
                    parenDepth--;
                }
                pos++;
            } else if (identStart(c)) {
                word();
            } else {
                pos++;
            }
        }

        private void word() {
            int from = pos;
            while (pos < n && identChar(s.charAt(pos))) {
                pos++;
            }
            String w = s.substring(from, pos).toLowerCase(Locale.ROOT);
            wordsSeen++;
            if (wordsSeen <= 4 && (w.equals("function") || w.equals("procedure")) && startsWithCreate()) {
                routine = true;
            }
            if (!routine || parenDepth > 0) {
                return;
            }
            // psql's rule: in a routine body, BEGIN and (nested) CASE open a block that END closes
            if (w.equals("begin") || (w.equals("case") && blockDepth > 0)) {
                blockDepth++;
            } else if (w.equals("end") && blockDepth > 0) {
                blockDepth--;
            }
        }

        private boolean startsWithCreate() {
            return s.regionMatches(true, start, "create", 0, 6);
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
                }
            }
            start = -1;
            parenDepth = 0;
            blockDepth = 0;
            routine = false;
            wordsSeen = 0;
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

        /** Length of a dollar-quote opener at pos ($$ or $tag$), or 0 when this $ is not one. */
        private int dollarTagLength() {
            int i = pos + 1;
            if (i < n && s.charAt(i) == '$') {
                return 2;
            }
            if (i >= n || !identStart(s.charAt(i))) {
                return 0;
            }
            while (i < n && s.charAt(i) != '$') {
                char c = s.charAt(i);
                if (!(identStart(c) || Character.isDigit(c))) {
                    return 0;
                }
                i++;
            }
            return i < n ? i - pos + 1 : 0;
        }

        private void dollarQuoted() {
            String tag = s.substring(pos, pos + dollarTagLength());
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

        private static boolean identStart(char c) {
            return Character.isLetter(c) || c == '_' || c > 127;
        }

        private static boolean identChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
        }
    }
}
