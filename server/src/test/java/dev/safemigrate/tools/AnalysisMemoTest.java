package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;

/** An analysis is reused only for the exact same text and database; anything else is analysed afresh. */
class AnalysisMemoTest {

    private final MigrationAnalyzer analyzer = new MigrationAnalyzer();
    private final AtomicInteger runs = new AtomicInteger();

    private MigrationAnalysis analyze(AnalysisMemo memo, String sql, String db) {
        return memo.analyze(sql, db, () -> {
            runs.incrementAndGet();
            return analyzer.analyze(sql, db);
        });
    }

    @Test
    void theSameTextIsAnalysedOnceAndAnEditedOneAgain() {
        AnalysisMemo memo = new AnalysisMemo();
        String sql = "create table t (id bigint);\n";
        MigrationAnalysis first = analyze(memo, sql, "app_dev");
        assertSame(first, analyze(memo, new String(sql.toCharArray()), "app_dev"), "equal text, another String");
        assertEquals(1, runs.get());
        MigrationAnalysis edited = analyze(memo, "create table t (id bigint);\ndrop table t;\n", "app_dev");
        assertEquals(2, runs.get());
        assertEquals(2, edited.statements().size());
        assertNotSame(first, analyze(memo, sql, "other_dev"), "the database name is part of what was analysed");
        assertEquals(3, runs.get());
    }

    @Test
    void theLeastRecentlyUsedGoFirstBeyondTheBound() {
        AnalysisMemo memo = new AnalysisMemo();
        String big = "-- " + "x".repeat((int) (AnalysisMemo.MAX_CHARS / 2)) + "\ncreate table a (id int);\n";
        String other = "-- " + "y".repeat((int) (AnalysisMemo.MAX_CHARS / 2)) + "\ncreate table b (id int);\n";
        analyze(memo, big, null);
        analyze(memo, other, null);
        assertEquals(2, runs.get());
        analyze(memo, other, null);
        assertEquals(2, runs.get(), "the newest is kept");
        analyze(memo, big, null);
        assertEquals(3, runs.get(), "the oldest was dropped to stay within the bound");
    }
}
