package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one statement into tokens, dropping comments, following PostgreSQL's lexer (scan.l) where it
 * matters for safety: a keyword inside a string, a dollar-quoted body, a comment or a quoted
 * identifier is not a keyword ({@code select 'DROP TABLE x'} drops nothing), and a name or string is
 * seen as the server sees it after decoding — {@code U&"\0064blink"} is {@code dblink},
 * {@code E'\x72ole'} is {@code role}, {@code 'ro'} newline {@code 'le'} is {@code role}. A literal the
 * server would reject (an invalid escape) becomes an {@link SqlToken.Type#INVALID} token, which makes
 * the statement not understood.
 */
public final class SqlLexer {

    /** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    /** One string per ASCII character, shared by every symbol token (an INSERT's commas are most of its tokens). */
    private static final String[] ASCII_SYMBOLS = new String[128];

    static {
        for (char c = 0; c < ASCII_SYMBOLS.length; c++) {
            ASCII_SYMBOLS[c] = String.valueOf(c);
        }
    }

    private SqlLexer() {}

    public static List<SqlToken> tokens(String sql) {
        return tokens(sql, true);
    }

    /** @param standardStrings {@code standard_conforming_strings}: when off, '…' strings take backslash escapes */
    public static List<SqlToken> tokens(String sql, boolean standardStrings) {
        return new Scan(sql, standardStrings, false).run();
    }

    /**
     * The same tokens by the plain path: no word cache, every literal read character by character.
     * {@code SqlLexerFastPathTest} holds {@link #tokens(String, boolean)} equal to it.
     */
    static List<SqlToken> tokensReference(String sql, boolean standardStrings) {
        return new Scan(sql, standardStrings, true).run();
    }

    private static final class Scan {
        private final String s;
        private final int n;
        private final boolean standardStrings;
        private final List<SqlToken> out;
        private final WordCache words;
        private int pos;
        private int depth;

        Scan(String sql, boolean standardStrings, boolean reference) {
            this.s = sql;
            this.n = sql.length();
            this.standardStrings = standardStrings;
            this.words = reference ? null : WORDS.get();
            this.out = new ArrayList<>(Math.max(8, sql.length() / 5));
        }

        List<SqlToken> run() {
            while (pos < n) {
                char c = s.charAt(pos);
                char next = at(pos + 1);
                if (isSpace(c)) {
                    pos++;
                } else if (c == '-' && next == '-') {
                    pos = afterLineComment(s, pos);
                } else if (c == '/' && next == '*') {
                    pos = afterBlockComment(s, pos);
                } else if (c == '\'') {
                    string(pos, standardStrings ? Literal.STANDARD : Literal.ESCAPE);
                } else if (c == '"') {
                    identifier(pos, false);
                } else if ((c == 'E' || c == 'e') && next == '\'') {
                    string(pos + 1, Literal.ESCAPE);
                } else if ((c == 'N' || c == 'n') && next == '\'') {
                    string(pos + 1, standardStrings ? Literal.STANDARD : Literal.ESCAPE);
                } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x') && next == '\'') {
                    string(pos + 1, Literal.BITS);
                } else if ((c == 'U' || c == 'u') && next == '&' && at(pos + 2) == '\'') {
                    string(pos + 2, Literal.UNICODE);
                } else if ((c == 'U' || c == 'u') && next == '&' && at(pos + 2) == '"') {
                    identifier(pos + 2, true);
                } else if (c == '$' && dollarTagEnd(s, pos) > 0) {
                    int tagEnd = dollarTagEnd(s, pos);
                    String tag = s.substring(pos, tagEnd);
                    int close = s.indexOf(tag, tagEnd);
                    int bodyEnd = close < 0 ? n : close;
                    add(SqlToken.Type.DOLLAR_STRING, s.substring(tagEnd, bodyEnd));
                    pos = close < 0 ? n : close + tag.length();
                } else if (identStart(c)) {
                    int from = pos;
                    int hash = 0;
                    while (pos < n && identChar(s.charAt(pos))) {
                        hash = 31 * hash + s.charAt(pos);
                        pos++;
                    }
                    add(SqlToken.Type.WORD, words == null ? truncate(lowerAscii(s.substring(from, pos)))
                            : words.text(s, from, pos, hash));
                } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                    int from = pos;
                    while (pos < n && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == '_')) {
                        pos++;
                    }
                    add(SqlToken.Type.NUMBER, s.substring(from, pos));
                } else if (c == '(') {
                    add(SqlToken.Type.SYMBOL, "(");
                    depth++;
                    pos++;
                } else if (c == ')') {
                    depth = Math.max(0, depth - 1);
                    add(SqlToken.Type.SYMBOL, ")");
                    pos++;
                } else if (c == ':' && next == ':') {
                    add(SqlToken.Type.SYMBOL, "::");
                    pos += 2;
                } else {
                    add(SqlToken.Type.SYMBOL, c < ASCII_SYMBOLS.length ? ASCII_SYMBOLS[c] : String.valueOf(c));
                    pos++;
                }
            }
            return out;
        }

        private void add(SqlToken.Type type, String text) {
            out.add(new SqlToken(type, text, depth));
        }

        /** A string literal whose opening quote is at {@code quote}, with its continuations on following lines. */
        private void string(int quote, Literal kind) {
            if (words != null && (kind == Literal.STANDARD || kind == Literal.BITS)) {
                // most literals hold no doubled quote and continue on no other line: their value is the text between
                // the quotes, which body() would copy character by character into a builder and then copy again
                int close = s.indexOf('\'', quote + 1);
                if (close >= 0 && at(close + 1) != '\'' && continuation(close + 1) < 0) {
                    pos = close + 1;
                    add(SqlToken.Type.STRING, s.substring(quote + 1, close));
                    return;
                }
            }
            StringBuilder raw = new StringBuilder();
            int i = quote;
            while (true) {
                i = body(i, kind == Literal.ESCAPE, '\'', raw);
                int more = continuation(i);
                if (more < 0) {
                    break;
                }
                i = more;
            }
            pos = i;
            String value = switch (kind) {
                case STANDARD, BITS -> raw.toString();
                case ESCAPE -> LiteralDecoder.backslashEscapes(raw.toString());
                case UNICODE -> LiteralDecoder.unicodeEscapes(raw.toString(), uescape());
            };
            add(value == null ? SqlToken.Type.INVALID : SqlToken.Type.STRING, value == null ? raw.toString() : value);
        }

        private void identifier(int quote, boolean unicode) {
            StringBuilder raw = new StringBuilder();
            pos = body(quote, false, '"', raw);
            String value = unicode ? LiteralDecoder.unicodeEscapes(raw.toString(), uescape()) : raw.toString();
            if (value == null || value.isEmpty() || value.indexOf('\0') >= 0) {
                add(SqlToken.Type.INVALID, raw.toString());   // PostgreSQL rejects a zero-length or undecodable name
            } else {
                add(SqlToken.Type.QUOTED_IDENTIFIER, truncate(value));
            }
        }

        /**
         * Reads the body after the opening quote at {@code quote} into raw (doubled quotes undoubled;
         * with backslash escapes the escape pairs are kept for decoding) and returns the index after
         * the closing quote.
         */
        private int body(int quote, boolean backslashEscapes, char q, StringBuilder raw) {
            int i = quote + 1;
            while (i < n) {
                char c = s.charAt(i);
                if (backslashEscapes && c == '\\' && i + 1 < n) {
                    raw.append(c).append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                i++;
                if (c == q) {
                    if (i < n && s.charAt(i) == q) {
                        raw.append(q);
                        i++;
                        continue;
                    }
                    return i;
                }
                raw.append(c);
            }
            return n;
        }

        /**
         * PostgreSQL joins string literals separated only by whitespace that includes a newline
         * (and {@code --} comments): {@code 'ro'}, newline, {@code 'le'} is {@code 'role'}. Returns
         * the index of the continuing quote, or -1.
         */
        private int continuation(int i) {
            boolean newline = false;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\n' || c == '\r') {
                    newline = true;
                    i++;
                } else if (c == ' ' || c == '\t' || c == '\f') {
                    i++;
                } else if (c == '-' && at(i + 1) == '-') {
                    int end = afterLineComment(s, i);
                    if (end >= n) {
                        return -1;
                    }
                    i = end;
                } else {
                    return newline && c == '\'' ? i : -1;
                }
            }
            return -1;
        }

        /**
         * The escape character of the Unicode literal just read: {@code UESCAPE 'c'} after it (consumed),
         * else backslash; 0 when the UESCAPE clause is invalid.
         */
        private char uescape() {
            int i = skipSpaceAndComments(pos);
            if (!s.regionMatches(true, i, "uescape", 0, 7) || identChar(at(i + 7))) {
                return '\\';
            }
            int q = skipSpaceAndComments(i + 7);
            if (at(q) != '\'' || at(q + 2) != '\'' || at(q + 3) == '\'') {
                pos = i + 7;
                return 0;
            }
            char e = at(q + 1);
            pos = q + 3;
            boolean invalid = Character.digit(e, 16) >= 0 || e == '+' || e == '\'' || e == '"' || isSpace(e);
            return invalid ? 0 : e;
        }

        private int skipSpaceAndComments(int i) {
            while (i < n) {
                char c = s.charAt(i);
                if (isSpace(c)) {
                    i++;
                } else if (c == '-' && at(i + 1) == '-') {
                    i = afterLineComment(s, i);
                } else if (c == '/' && at(i + 1) == '*') {
                    i = afterBlockComment(s, i);
                } else {
                    break;
                }
            }
            return i;
        }

        private char at(int i) {
            return i < n ? s.charAt(i) : '\0';
        }
    }

    private enum Literal { STANDARD, ESCAPE, UNICODE, BITS }

    private static final ThreadLocal<WordCache> WORDS = ThreadLocal.withInitial(WordCache::new);

    /**
     * The token text of recently seen words, by their text as written: a migration repeats the same
     * keywords, table and column names in every statement, and each would otherwise be copied out of
     * the file, lowercased and truncated anew. A hit is a word written exactly as the cached one, so
     * its text is what {@code truncate(lowerAscii(word))} returns ({@code SqlLexerFastPathTest}).
     * One per thread: the parallel reading lexes on several.
     */
    private static final class WordCache {
        private static final int SIZE = 1024;   // a power of two
        private static final int LONGEST = 64;  // longer words are rare: not kept
        private final String[] written = new String[SIZE];
        private final String[] text = new String[SIZE];

        /** @param hash {@link String#hashCode()} of {@code s.substring(from, to)} */
        String text(String s, int from, int to, int hash) {
            int len = to - from;
            if (len > LONGEST) {
                return truncate(lowerAscii(s.substring(from, to)));
            }
            int slot = (hash ^ (hash >>> 16)) & (SIZE - 1);
            String w = written[slot];
            if (w != null && w.length() == len && s.startsWith(w, from)) {
                return text[slot];
            }
            w = s.substring(from, to);
            String t = truncate(lowerAscii(w));
            written[slot] = w;
            text[slot] = t;
            return t;
        }
    }

    /** Unquoted names fold to lower case, ASCII letters only (as PostgreSQL does in a multibyte encoding). */
    static String lowerAscii(String w) {
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = w.toCharArray();
                for (int k = i; k < chars.length; k++) {
                    if (chars[k] >= 'A' && chars[k] <= 'Z') {
                        chars[k] = (char) (chars[k] + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return w;
    }

    /** A name longer than 63 bytes is cut there, on a character boundary, as PostgreSQL does. */
    static String truncate(String name) {
        if (name.length() <= MAX_IDENTIFIER_BYTES / 3) {
            return name;
        }
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_IDENTIFIER_BYTES) {
                return name.substring(0, i);
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return name;
    }

    /** The index after a {@code --} comment: PostgreSQL ends it at a newline or a carriage return. */
    static int afterLineComment(String s, int pos) {
        int n = s.length();
        int i = pos + 2;
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** PostgreSQL block comments nest, unlike the SQL standard's. */
    static int afterBlockComment(String s, int pos) {
        int depth = 0;
        int n = s.length();
        while (pos < n) {
            if (s.charAt(pos) == '/' && pos + 1 < n && s.charAt(pos + 1) == '*') {
                depth++;
                pos += 2;
            } else if (s.charAt(pos) == '*' && pos + 1 < n && s.charAt(pos + 1) == '/') {
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
     * End of a dollar-quote opener ($$ or $tag$) starting at pos, or 0. The tag follows
     * PostgreSQL's rule: a letter, underscore or non-ASCII character, then those or digits. The
     * caller has already consumed any identifier or parameter the $ could belong to ({@code a$b$}
     * is a name, {@code $1} a parameter), so a $ reached here starts a token.
     */
    static int dollarTagEnd(String s, int pos) {
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
            if (!(identStart(c) || isDigit(c))) {
                return 0;
            }
            i++;
        }
        return i < n ? i + 1 : 0;
    }

    /** PostgreSQL's whitespace: space, tab, newline, carriage return, form feed — not Unicode spaces, which are name characters. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean identStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 127;
    }

    static boolean identChar(char c) {
        return identStart(c) || isDigit(c) || c == '$';
    }
}
