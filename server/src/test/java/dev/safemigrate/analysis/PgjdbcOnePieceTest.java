package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * BoundaryCheck skips pgjdbc's parser for a plain statement without ';', on the argument that pgjdbc
 * then reads exactly one piece, and its JDBC escape rewrite changes nothing: what the full check
 * asserts. Here pgjdbc itself reads every statement the shortcut would skip, over the corpus and
 * thousands of generated files, and must agree.
 */
class PgjdbcOnePieceTest {

    @Test
    void pgjdbcReadsEveryStatementTheShortcutSkipsAsOnePieceUnchanged() throws SQLException {
        int skipped = 0;
        int read = 0;
        for (String sql : AnalysisInputs.all()) {
            for (SqlStatement s : SqlSplitter.split(sql)) {
                if (s.metaCommand() || s.span() == null) {
                    continue;
                }
                String text = sql.substring(s.span().textFrom(), s.span().to()).trim();
                if (!BoundaryCheck.onePieceForPgjdbc(sql, s.span())) {
                    read++;
                    continue;
                }
                skipped++;
                assertEquals(text, Parser.replaceProcessing(text, true, s.standardStrings()), "rewritten: " + text);
                List<NativeQuery> pieces = Parser.parseJdbcSql(text, s.standardStrings(), false, true, false, true);   // as BoundaryCheck calls it
                assertEquals(1, pieces.size(), "pieces of " + text);
            }
        }
        assertTrue(skipped > 1000 && read > 500, "both paths are exercised: skipped " + skipped + ", read " + read);
    }

    @Test
    void aSemicolonOrATextThatIsNotPlainIsLeftToPgjdbc() {
        for (String sql : new String[] {"select 'a;b'", "select 1 -- c;\n", "select $$x;$$", "select '{fn x}'",
                "select E'\\''", "select\u00A01", "select /* c */ 1"}) {
            SqlStatement s = SqlSplitter.split(sql).get(0);
            assertFalse(BoundaryCheck.onePieceForPgjdbc(sql, s.span()), sql);
        }
    }
}
