package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.rules.RuleSet;

/** {@code -- safemigrate:allow <rule-id> <reason>}: what it lowers, and every way it fails closed. No database. */
class AllowCommentTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    private static MigrationAnalysis analyze(String sql) {
        return ANALYZER.analyze(sql, "app_dev");
    }

    private static Finding only(MigrationAnalysis a, String rule) {
        List<Finding> found = a.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(1, found.size(), rule + " in " + a.findings());
        return found.get(0);
    }

    private static List<Finding> refusals(MigrationAnalysis a) {
        return a.findings().stream().filter(f -> f.rule().equals("allow-comment")).toList();
    }

    @Test
    void lowersTheNamedConfirmFindingToInfoAndKeepsTheReasonAndOldSeverity() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-table archived to cold storage (ticket 412)\nDROP TABLE orders_archive;");
        Finding f = only(a, "drop-table");
        assertEquals(Severity.INFO, f.severity());
        assertEquals(Severity.CONFIRM, f.allowedFrom());
        assertEquals("archived to cold storage (ticket 412)", f.allowedReason());
        assertTrue(refusals(a).isEmpty(), a.findings().toString());
        assertFalse(a.has(Severity.CONFIRM));
    }

    @Test
    void lowersAWarnFinding() {
        Finding f = only(analyze("-- safemigrate:allow index-not-concurrent table has 40 rows\nCREATE INDEX i ON orders (note);"),
                "index-not-concurrent");
        assertEquals(Severity.INFO, f.severity());
        assertEquals(Severity.WARN, f.allowedFrom());
    }

    @Test
    void stackedCommentsEachLowerTheirOwnRuleAndNothingElse() {
        MigrationAnalysis a = analyze("""
                -- safemigrate:allow volatile-default small table
                -- an ordinary comment between them
                -- safemigrate:allow add-column-unique built off-hours
                ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid() UNIQUE;
                DROP TABLE t;""");
        assertEquals(Severity.WARN, only(a, "volatile-default").allowedFrom());
        assertEquals("small table", only(a, "volatile-default").allowedReason());
        assertEquals("built off-hours", only(a, "add-column-unique").allowedReason());
        assertEquals(Severity.CONFIRM, only(a, "drop-table").severity(), "the next statement is not covered");
        assertNull(only(a, "drop-table").allowedReason());
        assertTrue(refusals(a).isEmpty());
    }

    @Test
    void appliesToTheNextStatementOnly() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-table ok\nDROP TABLE a;\nDROP TABLE b;");
        List<Finding> drops = a.findings().stream().filter(f -> f.rule().equals("drop-table")).toList();
        assertEquals(List.of(Severity.INFO, Severity.CONFIRM), drops.stream().map(Finding::severity).toList());
        assertEquals(List.of(1, 2), drops.stream().map(Finding::statement).toList());
    }

    @Test
    void anInfoFindingMayBeAcceptedAndStaysInfo() {
        Finding f = only(analyze("-- safemigrate:allow prefer-text legacy API limit\nCREATE TABLE t (name varchar(40));"), "prefer-text");
        assertEquals(Severity.INFO, f.severity());
        assertEquals("legacy API limit", f.allowedReason());
    }

    @Test
    void aMigrationLevelFindingCanBeAccepted() {
        MigrationAnalysis a = analyze("-- safemigrate:allow statements-after-access-exclusive both are instant\n"
                + "ALTER TABLE orders ADD COLUMN c text;\nALTER TABLE orders ADD COLUMN d text;");
        Finding f = only(a, "statements-after-access-exclusive");
        assertEquals(Severity.INFO, f.severity());
        assertEquals("both are instant", f.allowedReason());
    }

    @Test
    void neverLowersBlockAndTheCommentIsRefused() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-database we really mean it\nDROP DATABASE app_dev;");
        assertEquals(Severity.BLOCK, only(a, "drop-database").severity());
        assertTrue(refusals(a).get(0).message().contains("never accepted"), refusals(a).toString());
    }

    @Test
    void anUnknownRuleIdIsABlockAndLowersNothing() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-tabel typo\nDROP TABLE t;");
        assertEquals(Severity.CONFIRM, only(a, "drop-table").severity());
        Finding refusal = only(a, "allow-comment");
        assertEquals(Severity.BLOCK, refusal.severity());
        assertTrue(refusal.message().contains("drop-tabel is not a rule id"), refusal.message());
        assertEquals(1, refusal.line());
        assertEquals(1, refusal.statement());
    }

    @Test
    void aMissingReasonIsABlockAndLowersNothing() {
        for (String comment : List.of("-- safemigrate:allow drop-table", "-- safemigrate:allow drop-table   ", "-- safemigrate:allow")) {
            MigrationAnalysis a = analyze(comment + "\nDROP TABLE t;");
            assertEquals(Severity.CONFIRM, only(a, "drop-table").severity(), comment);
            assertEquals(Severity.BLOCK, only(a, "allow-comment").severity(), comment);
        }
    }

    @Test
    void aRuleTheStatementDoesNotTriggerIsABlock() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-column meant for the next one\nDROP TABLE t;\nALTER TABLE o DROP COLUMN c;");
        assertTrue(only(a, "allow-comment").message().contains("statement 1 has no drop-column finding"));
        assertTrue(a.findings().stream().noneMatch(f -> f.allowedReason() != null), a.findings().toString());
    }

    @Test
    void aDryRunRuleCannotBeAccepted() {
        MigrationAnalysis a = analyze("-- safemigrate:allow dry-run-drop no data here\nSELECT 1;");
        assertTrue(only(a, "allow-comment").message().contains("dry run"), a.findings().toString());
    }

    @Test
    void aCommentAfterTheEndOfThePreviousStatementOnItsLineIsABlock() {
        MigrationAnalysis a = analyze("DROP TABLE a; -- safemigrate:allow drop-table for a or for b?\nDROP TABLE b;");
        assertTrue(a.findings().stream().filter(f -> f.rule().equals("drop-table")).allMatch(f -> f.severity() == Severity.CONFIRM));
        assertTrue(only(a, "allow-comment").message().contains("line of its own"));
    }

    @Test
    void aBlockCommentIsABlock() {
        MigrationAnalysis a = analyze("/* safemigrate:allow drop-table old */\nDROP TABLE t;");
        assertEquals(Severity.CONFIRM, only(a, "drop-table").severity());
        assertTrue(only(a, "allow-comment").message().contains("block comment"));
    }

    @Test
    void aCommentInsideAStatementIsABlock() {
        MigrationAnalysis a = analyze("ALTER TABLE orders\n  -- safemigrate:allow drop-column unused\n  DROP COLUMN note;");
        assertEquals(Severity.CONFIRM, only(a, "drop-column").severity());
        Finding refusal = only(a, "allow-comment");
        assertEquals(2, refusal.line());
        assertTrue(refusal.message().contains("inside statement 1"), refusal.message());
    }

    @Test
    void aCommentAfterTheLastStatementIsABlock() {
        MigrationAnalysis a = analyze("DROP TABLE t;\n-- safemigrate:allow drop-table forgot where\n");
        assertEquals(Severity.CONFIRM, only(a, "drop-table").severity());
        assertEquals(3 - 1, only(a, "allow-comment").line());
        assertEquals(1, only(a, "allow-comment").statement());
    }

    @Test
    void aFileOfNothingButTheCommentIsABlock() {
        MigrationAnalysis a = analyze("-- safemigrate:allow drop-table nothing\n");
        assertEquals(Severity.BLOCK, only(a, "allow-comment").severity());
    }

    @Test
    void anotherDirectiveIsABlock() {
        MigrationAnalysis a = analyze("-- safemigrate:ignore drop-table whole file\nDROP TABLE t;");
        assertEquals(Severity.CONFIRM, only(a, "drop-table").severity());
        assertTrue(only(a, "allow-comment").message().contains("not a directive"));
    }

    @Test
    void theMarkerIsReadWhateverItsCase() {
        Finding f = only(analyze("--SafeMigrate:ALLOW drop-table spelled loudly\nDROP TABLE t;"), "drop-table");
        assertEquals(Severity.INFO, f.severity());
        Finding wrongCaseRule = only(analyze("-- safemigrate:allow DROP-TABLE loud\nDROP TABLE t;"), "drop-table");
        assertEquals(Severity.CONFIRM, wrongCaseRule.severity(), "rule ids are exact");
    }

    @Test
    void crlfLineEndingsWork() {
        Finding f = only(analyze("-- safemigrate:allow drop-table windows editor\r\nDROP TABLE t;\r\n"), "drop-table");
        assertEquals("windows editor", f.allowedReason());
    }

    @Test
    void theMarkerInAStringInsideAStatementFailsClosed() {
        MigrationAnalysis a = analyze("INSERT INTO notes VALUES ('-- safemigrate:allow drop-table x');");
        assertEquals(Severity.BLOCK, only(a, "allow-comment").severity());
    }

    @Test
    void aMigrationWithoutTheMarkerIsUnchanged() {
        String sql = "DROP TABLE t;\n-- a comment about safemigrate\nALTER TABLE o ADD COLUMN c int;";
        assertTrue(analyze(sql).findings().stream().noneMatch(f -> f.allowedReason() != null || f.rule().equals("allow-comment")));
    }

    /**
     * Every rule id, put before the first statement of every tenth corpus case: a block finding is
     * never lowered, only findings of the named rule are lowered, and a comment that matches no
     * lowerable finding is refused.
     */
    @Test
    void anAllowCommentBeforeAnyCorpusCaseNeverLowersBlockOrAnotherRule() throws IOException {
        List<AnalysisCorpusTest.Case> corpus = AnalysisCorpusTest.corpus();
        int checked = 0;
        for (int k = 0; k < corpus.size(); k += 10) {
            String sql = corpus.get(k).sql();
            MigrationAnalysis before = analyze(sql);
            for (String id : RuleSet.ids()) {
                MigrationAnalysis after = analyze("-- safemigrate:allow " + id + " reason\n" + sql);
                String where = id + " before " + sql;
                assertTrue(after.findings().stream().filter(f -> f.allowedFrom() != null)
                        .allMatch(f -> f.rule().equals(id) && f.statement() == 1 && f.allowedFrom() != Severity.BLOCK), where);
                long blocksBefore = before.findings().stream().filter(f -> f.severity() == Severity.BLOCK).count();
                long blocksAfter = after.findings().stream().filter(f -> f.severity() == Severity.BLOCK && !f.rule().equals("allow-comment")).count();
                assertEquals(blocksBefore, blocksAfter, where);
                boolean lowerable = before.findings().stream().anyMatch(f -> f.rule().equals(id) && f.statement() == 1)
                        && before.findings().stream().noneMatch(f -> f.rule().equals(id) && f.statement() == 1 && f.severity() == Severity.BLOCK);
                assertEquals(!lowerable, after.findings().stream().anyMatch(f -> f.rule().equals("allow-comment")),
                        where + " → " + after.findings().stream().map(Finding::rule).collect(Collectors.joining(",")));
                checked++;
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }
}
