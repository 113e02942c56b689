package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code -- safemigrate:allow <rule-id> <reason>} comments of a migration and which
 * statement each belongs to. A comment belongs to a statement when it lies between the previous
 * statement's end and the statement's first token (the region {@link SqlSplitter} leaves out of the
 * statement's text), as a line comment on a line of its own: there it can belong to no other
 * statement. Anything else that looks like one — a block comment, a comment after a statement on
 * its line, one inside a statement or after the last — is returned with a problem, so that it turns
 * into a block finding instead of silencing something nobody meant.
 */
final class AllowComments {

    static final String MARKER = "safemigrate:";

    private static final Pattern DIRECTIVE = Pattern.compile("(?i)safemigrate:(\\S*)\\s*(\\S*)\\s*(.*)", Pattern.DOTALL);

    /** A comment marker anywhere in text, for the places where an allow comment is never honoured. */
    private static final Pattern ANYWHERE = Pattern.compile("(?i)(--|/\\*)\\s*safemigrate:");

    private AllowComments() {}

    static List<AllowComment> read(String sql, List<SqlStatement> statements) {
        if (!mayHoldMarker(sql)) {
            return List.of();   // the common case, at no cost
        }
        List<AllowComment> out = new ArrayList<>();
        int covered = 0;
        for (int i = 0; i < statements.size(); i++) {
            SqlStatement s = statements.get(i);
            if (s.span() == null) {
                continue;
            }
            int textStart = textStart(sql, s);
            leading(sql, s.span().from(), textStart, i + 1, out);
            misplaced(sql, textStart, s.span().next(), i + 1, "inside statement " + (i + 1), out);
            covered = s.span().next();
        }
        misplaced(sql, covered, sql.length(), 0, "after the last statement", out);
        return out;
    }

    /**
     * Whether {@code sql.toLowerCase(Locale.ROOT)} holds the marker, without that copy of the whole
     * text: no character beyond ASCII lowercases to one of the marker's letters alone (U+0130 becomes
     * i and a combining dot, which no {@code g} follows), so the ASCII case-insensitive search finds
     * exactly the same ({@code AllowCommentsMarkerTest}).
     */
    static boolean mayHoldMarker(String sql) {
        int last = sql.length() - MARKER.length();
        for (int i = sql.indexOf(':', MARKER.length() - 1); i >= 0; i = sql.indexOf(':', i + 1)) {
            int from = i - (MARKER.length() - 1);
            if (from >= 0 && from <= last && asciiIgnoreCase(sql, from)) {
                return true;
            }
        }
        return false;
    }

    private static boolean asciiIgnoreCase(String sql, int from) {
        for (int k = 0; k < MARKER.length() - 1; k++) {
            char c = sql.charAt(from + k);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != MARKER.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Where the statement's text begins: the splitter trimmed it, so it ends where the span's text ends. */
    private static int textStart(String sql, SqlStatement s) {
        int end = Math.min(s.span().to(), sql.length());
        while (end > s.span().from() && sql.charAt(end - 1) <= ' ') {
            end--;
        }
        return Math.max(s.span().from(), end - s.text().length());
    }

    /** The comments in [from, to), which holds only whitespace, semicolons and comments. */
    private static void leading(String sql, int from, int to, int statement, List<AllowComment> out) {
        int i = from;
        while (i < to) {
            if (sql.startsWith("--", i)) {
                int end = i;
                while (end < to && sql.charAt(end) != '\n' && sql.charAt(end) != '\r') {
                    end++;
                }
                String body = sql.substring(i + 2, end).strip();
                if (body.toLowerCase(Locale.ROOT).startsWith(MARKER)) {
                    out.add(parse(body, statement, lineAt(sql, i), ownLine(sql, i) ? null
                            : "it follows other text on its line; write it on a line of its own directly before the statement"));
                }
                i = end;
            } else if (sql.startsWith("/*", i)) {
                int end = blockCommentEnd(sql, i, to);
                if (ANYWHERE.matcher(sql.substring(i, end)).find()) {
                    out.add(new AllowComment(statement, lineAt(sql, i), "", "",
                            "it is a block comment; write it as a -- line comment directly before the statement"));
                }
                i = end;
            } else {
                i++;
            }
        }
    }

    private static void misplaced(String sql, int from, int to, int statement, String where, List<AllowComment> out) {
        if (from >= to) {
            return;
        }
        Matcher m = ANYWHERE.matcher(sql).region(from, to);
        while (m.find()) {
            out.add(new AllowComment(statement, lineAt(sql, m.start()), "", "",
                    "it is " + where + ", not directly before one"));
        }
    }

    static AllowComment parse(String body, int statement, int line, String problem) {
        Matcher m = DIRECTIVE.matcher(body);
        if (!m.matches()) {
            return new AllowComment(statement, line, "", "", "it is not of the form -- safemigrate:allow <rule-id> <reason>");
        }
        if (problem == null && !m.group(1).equalsIgnoreCase("allow")) {
            problem = "\"safemigrate:" + m.group(1) + "\" is not a directive; the only one is safemigrate:allow <rule-id> <reason>";
        }
        return new AllowComment(statement, line, m.group(2), m.group(3).strip(), problem);
    }

    private static boolean ownLine(String sql, int at) {
        for (int k = at - 1; k >= 0 && sql.charAt(k) != '\n' && sql.charAt(k) != '\r'; k--) {
            if (!Character.isWhitespace(sql.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL block comments nest. */
    private static int blockCommentEnd(String sql, int from, int limit) {
        int depth = 0;
        int i = from;
        while (i < limit) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return limit;
    }

    /** 1-based line of offset, counted as the splitter counts statement lines (at each \n). */
    private static int lineAt(String sql, int offset) {
        int line = 1;
        for (int k = 0; k < offset; k++) {
            if (sql.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }
}
