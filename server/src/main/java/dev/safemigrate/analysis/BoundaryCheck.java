package dev.safemigrate.analysis;

import java.io.IOException;
import java.io.Reader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * Proves that what executes is what was analysed. Flyway splits the migration file itself, and
 * pgjdbc splits each of Flyway's statements again before sending it; if either reads a statement
 * boundary elsewhere than {@link SqlSplitter}, SQL nobody analysed would run. So each file is read
 * by both of them, here, with their own code, and every disagreement is a {@code block} finding.
 *
 * <p><b>Flyway</b>: its {@code PostgreSQLParser} (no database: a bare configuration, no data source)
 * must return, for each of our statements, exactly the text we read: Flyway's statement runs from
 * just after the previous semicolon to just before its own, trimmed, so equal texts mean equal
 * boundaries. Flyway's parser reads about 1 MB/s, too slow to run over every file, so it reads only
 * the runs of statements whose segment is not {@linkplain SqlSplitter#plainRegion plain}: a plain
 * segment holds only constructs every reader reads alike and ends at a semicolon all of them see, so
 * Flyway, starting afresh after it, splits the next run as it would inside the whole file.
 * {@code BoundaryDifferentialTest} runs the real Flyway over whole files to check exactly that.
 * Flyway waits forever for the end of COPY data that has none; such a file is refused here, and
 * Flyway reads each run through a reader that fails rather than lets it wait (a COPY only Flyway
 * sees then shows as a difference instead of a hang).
 *
 * <p><b>pgjdbc</b>: Flyway executes each statement with {@code Statement.execute}, for which pgjdbc
 * rewrites JDBC escapes ({@code {fn …}}) and then splits at semicolons
 * ({@code Parser.parseJdbcSql(sql, standardConformingStrings, withParameters = false, splitStatements
 * = true, …)}), sending each piece as its own Parse message. Each statement must be exactly one piece
 * and must not be rewritten. pgjdbc follows standard_conforming_strings as the server reports it,
 * so each statement is read with the setting the splitter tracked for it. The extended protocol
 * also means the server refuses a piece holding two statements ("cannot insert multiple commands into
 * a prepared statement"), so a piece cannot hide a second statement from the server either.
 *
 * <p>{@code BEGIN ATOMIC} bodies: pgjdbc stops splitting a CREATE statement once it has seen BEGIN
 * ATOMIC, and Flyway keeps such a body whole up to its END, so a SQL-standard function body with
 * inner semicolons reaches the server as one statement ({@code BoundariesThroughFlywayTest} applies
 * one through Flyway to a real PostgreSQL). Flyway counts a CASE inside a CASE in such a body wrongly
 * and splits there: that is reported as a mismatch, and the server rejects the pieces (same test).
 */
public final class BoundaryCheck {

    public static final String RULE = "statement-boundary-mismatch";

    private static final String HINT = "Write the statement so that every reader agrees where it ends: end line comments "
            + "with a newline, avoid $ next to names and numbers, spell E'…' strings with a capital E, keep "
            + "psql commands and COPY … FROM STDIN out of migrations, and give each statement its own semicolon.";

    private Configuration flyway;

    /** Findings for the statements of {@code file}, as {@link SqlSplitter#split} returned them, in order. */
    public List<Finding> check(String file, List<SqlStatement> statements) {
        List<Finding> out = new ArrayList<>();
        checkFlyway(file, statements, out);
        for (int k = 0; k < statements.size(); k++) {
            checkPgjdbc(file, statements.get(k), k + 1, out);
        }
        return out;
    }

    /**
     * The runs of non-plain statements (and a non-plain tail after the last statement) are joined
     * and read by Flyway at once: each run starts and ends where Flyway starts afresh if it agrees,
     * so the joined reading is the runs' readings in a row, and the first disagreement shows in it.
     */
    private void checkFlyway(String file, List<SqlStatement> statements, List<Finding> out) {
        StringBuilder text = new StringBuilder();
        List<Integer> expected = new ArrayList<>();   // statement indices Flyway must read, in order
        int size = statements.size();
        boolean cut = false;
        for (int i = 0; i < size && !cut; ) {
            if (statements.get(i).span().plain()) {
                i++;
                continue;
            }
            int j = i;
            while (j < size && !statements.get(j).span().plain()) {
                j++;
            }
            int to = j == size ? file.length() : statements.get(j - 1).span().next();
            for (int k = i; k < j; k++) {
                SqlStatement s = statements.get(k);
                if (s.metaCommand() || s.span().unterminatedCopy()) {
                    // psql-meta-command already blocks a meta-command (Flyway would send the line inside the
                    // next statement); the file cannot be compared beyond either
                    if (!s.metaCommand()) {
                        out.add(finding(k + 1, s, "The COPY … FROM STDIN data has no terminating \\. line: Flyway "
                                + "would wait for it forever."));
                    }
                    to = s.span().from();
                    j = k;
                    cut = true;
                    break;
                }
            }
            text.append(file, statements.get(i).span().from(), to);
            for (int k = i; k < j; k++) {
                expected.add(k);
            }
            i = j;
        }
        int tail = size == 0 ? 0 : statements.get(size - 1).span().next();
        if (!cut && (size == 0 || statements.get(size - 1).span().plain()) && !SqlSplitter.plainRegion(file, tail, file.length())) {
            text.append(file, tail, file.length());
        }
        if (text.length() > 0) {
            agree(file, statements, expected, text.toString(), out);
        }
    }

    /** Whether Flyway reads {@code text} as exactly the expected statements; if not, the finding is added. */
    private void agree(String file, List<SqlStatement> statements, List<Integer> expected, String text, List<Finding> out) {
        List<String> flywayRead = new ArrayList<>();
        String error = null;
        try {
            flywayRead = flywayStatements(text);
        } catch (FlywayException e) {
            error = e.getMessage();
        }
        for (int at = 0; at < expected.size(); at++) {
            int k = expected.get(at);
            SqlStatement s = statements.get(k);
            String ours = file.substring(s.span().textFrom(), s.span().to()).trim();
            if (at >= flywayRead.size()) {
                out.add(finding(k + 1, s, error != null
                        ? "Flyway cannot parse the file here: " + abbreviate(error, 200)
                        : "Flyway reads this statement as part of an earlier one."));
                return;
            }
            if (!flywayRead.get(at).equals(ours)) {
                out.add(finding(k + 1, s, "Flyway would execute " + quote(flywayRead.get(at)) + " where the analysis read "
                        + quote(ours) + "."));
                return;
            }
        }
        if (error != null || flywayRead.size() > expected.size()) {
            int index = expected.isEmpty() ? statements.size() : expected.get(expected.size() - 1) + 1;
            SqlStatement at = index == 0 ? null : statements.get(index - 1);
            String what = error != null ? "Flyway cannot parse the file here: " + abbreviate(error, 200)
                    : "Flyway would execute " + quote(flywayRead.get(expected.size()))
                            + " after this statement, which the analysis read as comments or data.";
            out.add(finding(Math.max(1, index), at, what));
        }
    }

    private void checkPgjdbc(String file, SqlStatement s, int index, List<Finding> out) {
        if (s.metaCommand() || s.span() == null) {
            return;
        }
        if (onePieceForPgjdbc(file, s.span())) {
            return;
        }
        String sql = file.substring(s.span().textFrom(), s.span().to()).trim();
        boolean scs = s.standardStrings();
        try {
            // a plain statement has no '{' and no unterminated literal: there the rewrite is the identity
            if (!s.span().plain() && !Parser.replaceProcessing(sql, true, scs).equals(sql)) {
                out.add(finding(index, s, "pgjdbc rewrites JDBC escape syntax {…} in this statement before sending it, "
                        + "so the server would run other text than the analysis read."));
                return;
            }
            List<NativeQuery> pieces = Parser.parseJdbcSql(sql, scs, false, true, false, true);
            if (pieces.size() != 1) {
                out.add(finding(index, s, "pgjdbc splits this statement into " + pieces.size() + " statements: "
                        + String.join(" | ", pieces.stream().map(q -> quote(q.nativeSql)).toList()) + "."));
            } else if (!pieces.get(0).nativeSql.equals(sql)) {
                // pgjdbc turns ?? into ? even in a plain Statement: the server would run other text
                out.add(finding(index, s, "pgjdbc rewrites this statement before sending it (it sends "
                        + quote(pieces.get(0).nativeSql) + "), so the server would run other text than the analysis "
                        + "read. Write the jsonb operator ? once, not ??."));
            }
        } catch (SQLException e) {
            out.add(finding(index, s, "pgjdbc cannot read this statement: " + abbreviate(e.getMessage(), 200)));
        }
    }

    /**
     * Whether pgjdbc's {@code parseJdbcSql} is sure to read the statement as exactly one piece,
     * without running it (a fifth of the analysis of an INSERT-heavy file). pgjdbc ends a piece only
     * at a {@code ;} (outside quotes, comments and parentheses), and then once more at the end of
     * the text unless every character it looked at was whitespace or {@code ;}. So a text with no
     * {@code ;} at all whose first character is not whitespace is one piece, whatever else it holds,
     * and, with no {@code ?} either (pgjdbc sends {@code ??} as {@code ?}), is sent as it is.
     * A plain span ({@link SqlSplitter#plainRegion}) has no non-ASCII whitespace and no '{' (nothing
     * for the escape rewrite), and trimming leaves a first character above ' ', which is then not
     * whitespace to pgjdbc either. {@code BoundaryCheckTest} compares this with pgjdbc's own reading.
     */
    static boolean onePieceForPgjdbc(String file, SqlStatement.Span span) {
        if (!span.plain()) {
            return false;
        }
        boolean blank = true;
        for (int i = span.textFrom(); i < span.to(); i++) {
            char c = file.charAt(i);
            if (c == ';' || c == '?') {
                return false;   // a ?? outside quotes is sent as ?: pgjdbc reads such a statement itself
            }
            blank &= c <= ' ';
        }
        return !blank;
    }

    /**
     * The texts of the statements Flyway's PostgreSQL parser reads in {@code text}, as it would execute
     * them. Flyway reads COPY data up to a {@code \\.} line and, at the end of the file, asks for more
     * forever; the text is given to it through a reader that fails instead, so that becomes an error.
     */
    List<String> flywayStatements(String text) {
        List<String> out = new ArrayList<>();
        try (SqlStatementIterator it = new PostgreSQLParser(flyway(), new ParsingContext()).parse(new TextResource(text))) {
            while (it.hasNext()) {
                out.add(it.next().getSql());
            }
        }
        return out;
    }

    private synchronized Configuration flyway() {
        if (flyway == null) {
            // no data source: the parser reads text only and cannot reach a database
            flyway = Flyway.configure(BoundaryCheck.class.getClassLoader()).loggers("slf4j").placeholderReplacement(false);
        }
        return flyway;
    }

    /** The migration text as Flyway's resource; reading on at its end fails rather than loops. */
    private static final class TextResource extends LoadableResource {
        private static final int READS_PAST_END = 1000;
        private final String text;

        TextResource(String text) {
            this.text = text;
        }

        @Override
        public Reader read() {
            return new Reader() {
                private int at;
                private int pastEnd;

                @Override
                public int read(char[] buffer, int offset, int length) throws IOException {
                    if (at >= text.length()) {
                        if (++pastEnd > READS_PAST_END) {
                            throw new IOException("Flyway reads on past the end of the file (COPY data without its \\. line)");
                        }
                        return -1;
                    }
                    int count = Math.min(length, text.length() - at);
                    text.getChars(at, at + count, buffer, offset);
                    at += count;
                    return count;
                }

                @Override
                public void close() {
                    // nothing to release
                }
            };
        }

        @Override
        public String getAbsolutePath() {
            return "migration";
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return "migration";
        }

        @Override
        public String getFilename() {
            return "migration.sql";
        }

        @Override
        public String getRelativePath() {
            return "migration.sql";
        }
    }

    private static Finding finding(int index, SqlStatement s, String message) {
        return new Finding(RULE, Severity.BLOCK, index, s == null ? 1 : s.line(), message
                + " What runs would not be what was analysed.", HINT);
    }

    private static String quote(String sql) {
        return "`" + abbreviate(sql.replace("\r", "\\r").replace("\n", "\\n"), 120) + "`";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
