package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one statement into tokens, dropping comments. Follows PostgreSQL's lexical rules where
 * they matter for safety: a keyword inside a string, a dollar-quoted body, a comment or a quoted
 * identifier is not a keyword ({@code select 'DROP TABLE x'} drops nothing).
 */
public final class SqlLexer {

    private SqlLexer() {}

    public static List<SqlToken> tokens(String sql) {
        List<SqlToken> out = new ArrayList<>(Math.max(8, sql.length() / 5));
        int n = sql.length();
        int pos = 0;
        int depth = 0;
        while (pos < n) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && at(sql, pos + 1) == '-') {
                int eol = sql.indexOf('\n', pos);
                pos = eol < 0 ? n : eol + 1;
            } else if (c == '/' && at(sql, pos + 1) == '*') {
                pos = afterBlockComment(sql, pos);
            } else if (c == '\'') {
                pos = quoted(sql, pos, '\'', false, SqlToken.Type.STRING, depth, out);
            } else if (c == '"') {
                pos = quoted(sql, pos, '"', false, SqlToken.Type.QUOTED_IDENTIFIER, depth, out);
            } else if ((c == 'E' || c == 'e') && at(sql, pos + 1) == '\'') {
                pos = quoted(sql, pos + 1, '\'', true, SqlToken.Type.STRING, depth, out);
            } else if ((c == 'U' || c == 'u') && at(sql, pos + 1) == '&' && (at(sql, pos + 2) == '\'' || at(sql, pos + 2) == '"')) {
                char q = at(sql, pos + 2);
                pos = quoted(sql, pos + 2, q, false, q == '"' ? SqlToken.Type.QUOTED_IDENTIFIER : SqlToken.Type.STRING, depth, out);
            } else if (c == '$' && dollarTagEnd(sql, pos) > 0) {
                int tagEnd = dollarTagEnd(sql, pos);
                String tag = sql.substring(pos, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                int bodyEnd = close < 0 ? n : close;
                out.add(new SqlToken(SqlToken.Type.DOLLAR_STRING, sql.substring(tagEnd, bodyEnd), depth));
                pos = close < 0 ? n : close + tag.length();
            } else if (identStart(c)) {
                int from = pos;
                while (pos < n && identChar(sql.charAt(pos))) {
                    pos++;
                }
                out.add(new SqlToken(SqlToken.Type.WORD, sql.substring(from, pos).toLowerCase(Locale.ROOT), depth));
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(at(sql, pos + 1)))) {
                int from = pos;
                while (pos < n && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.' || sql.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(new SqlToken(SqlToken.Type.NUMBER, sql.substring(from, pos), depth));
            } else if (c == '(') {
                out.add(new SqlToken(SqlToken.Type.SYMBOL, "(", depth));
                depth++;
                pos++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                out.add(new SqlToken(SqlToken.Type.SYMBOL, ")", depth));
                pos++;
            } else if (c == ':' && at(sql, pos + 1) == ':') {
                out.add(new SqlToken(SqlToken.Type.SYMBOL, "::", depth));
                pos += 2;
            } else {
                out.add(new SqlToken(SqlToken.Type.SYMBOL, String.valueOf(c), depth));
                pos++;
            }
        }
        return out;
    }

    private static int quoted(String s, int pos, char quote, boolean backslashEscapes, SqlToken.Type type, int depth,
                              List<SqlToken> out) {
        StringBuilder text = new StringBuilder();
        int n = s.length();
        int i = pos + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < n) {
                text.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            i++;
            if (c == quote) {
                if (i < n && s.charAt(i) == quote) {
                    text.append(quote);
                    i++;
                    continue;
                }
                break;
            }
            text.append(c);
        }
        out.add(new SqlToken(type, text.toString(), depth));
        return i;
    }

    /** PostgreSQL block comments nest, unlike the SQL standard's. */
    private static int afterBlockComment(String s, int pos) {
        int depth = 0;
        int n = s.length();
        while (pos < n) {
            if (s.charAt(pos) == '/' && at(s, pos + 1) == '*') {
                depth++;
                pos += 2;
            } else if (s.charAt(pos) == '*' && at(s, pos + 1) == '/') {
                pos += 2;
                if (--depth == 0) {
                    return pos;
                }
            } else {
                pos++;
            }
        }
        return n;
    }

    /**
     * End of a dollar-quote opener ($$ or $tag$) starting at pos, or 0. A $ that continues an
     * identifier or follows a digit ($1 parameters) opens nothing.
     */
    static int dollarTagEnd(String s, int pos) {
        if (pos > 0 && identChar(s.charAt(pos - 1))) {
            return 0;
        }
        int n = s.length();
        int i = pos + 1;
        if (i < n && s.charAt(i) == '$') {
            return i + 1;
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
        return i < n ? i + 1 : 0;
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    static boolean identStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127;
    }

    static boolean identChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
