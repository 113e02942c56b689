package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A parse that overruns is stopped, not abandoned: a migration full of statements built to make
 * JSqlParser backtrack for seconds leaves at most one parser thread alive, each such statement is
 * opaque and needs confirmation, and the parser still works afterwards.
 */
class BoundedParserTest {

    /** A dozen nested parentheses take JSqlParser 5.3 seconds of backtracking. */
    private static String pathological(int i) {
        return "SELECT " + "(".repeat(14) + i + ")".repeat(14);
    }

    private static long liveParserThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("safemigrate-sql-parser")).count();
    }

    @Test
    void timedOutParsesAreStoppedAndThreadsStayBounded() {
        BoundedParser parser = new BoundedParser(50);
        long before = liveParserThreads();
        for (int i = 0; i < 30; i++) {
            BoundedParser.Result r = parser.parse(pathological(i));
            assertTrue(r.timedOut(), "statement " + i + " should time out");
            assertTrue(liveParserThreads() - before <= 1, "live parser threads: " + (liveParserThreads() - before));
        }
        BoundedParser.Result ok = parser.parse("SELECT 1");
        assertNotNull(ok.statement(), "the parser works again after the timeouts");
        assertTrue(liveParserThreads() - before <= 1);
    }

    @Test
    void aRejectedStatementIsNotATimeout() {
        BoundedParser.Result r = new BoundedParser(5000).parse("FROBNICATE TABLE x");
        assertEquals(BoundedParser.Result.REJECTED, r);
    }

    @Test
    void everyTimedOutStatementIsOpaqueAndNeedsConfirmationWhateverItsFirstWord() {
        long before = liveParserThreads();
        MigrationAnalyzer analyzer = new MigrationAnalyzer(50);
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sql.append(pathological(i)).append(";\n");
        }
        MigrationAnalysis a = analyzer.analyze(sql.toString(), "app_dev");
        assertEquals(20, a.statements().size());
        for (StatementAnalysis s : a.statements()) {
            assertEquals("opaque", s.kind(), s.text());
            assertTrue(s.executesCode(), "a statement nobody understood may run anything: " + s.text());
            assertTrue(s.findings().stream().anyMatch(f -> f.rule().equals("opaque-statement")
                    && f.severity() == Severity.CONFIRM && f.message().contains("gave up")), s.findings().toString());
        }
        assertTrue(liveParserThreads() - before <= 1, "new live parser threads: " + (liveParserThreads() - before));
    }
}
