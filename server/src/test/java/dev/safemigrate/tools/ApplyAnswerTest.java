package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.Severity;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.HeldLock;
import dev.safemigrate.db.SchemaDiff;

/**
 * The answer fitting, without a database: generated runs from tiny to enormous, every answer
 * within its budget, and paging every list from offset 0 shows each item exactly once.
 */
class ApplyAnswerTest {

    private static final DatabaseIdentity DB = new DatabaseIdentity("localhost", 5432, "app_dev", "app", List.of(),
            true, "15.10", "\"$user\", public", null, "127.0.0.1", true, List.of());

    /** A run of {@code migrations} migrations of {@code statements} statements each, texts of random length. */
    private static ApplyAnswer.Facts run(long seed, int migrations, int statements, int findingsPerStatement, int diffPerStatement) {
        return run(seed, migrations, statements, findingsPerStatement, diffPerStatement, 400);
    }

    private static ApplyAnswer.Facts run(long seed, int migrations, int statements, int findingsPerStatement,
                                         int diffPerStatement, int textLength) {
        Random random = new Random(seed);
        List<ApplyToDevTool.Pending> pending = new ArrayList<>();
        List<DryRunResult.TracedStatement> traced = new ArrayList<>();
        List<MigrationFinding> findings = new ArrayList<>();
        List<DryRunResult.DataAtRisk> data = new ArrayList<>();
        List<AtRisk> atRisk = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (int m = 1; m <= migrations; m++) {
            String v = String.valueOf(m);
            String path = "db/migrations/V" + m + "__" + "x".repeat(random.nextInt(40)) + ".sql";
            pending.add(new ApplyToDevTool.Pending(v, path, random.nextInt(), statements, null, null, null, null));
            for (int s = 1; s <= statements; s++) {
                List<String> diff = new ArrayList<>();
                for (int d = 0; d < diffPerStatement; d++) {
                    diff.add("table public.t" + m + "_" + s + "_" + d);
                }
                created.addAll(diff);
                traced.add(new DryRunResult.TracedStatement(v, s, s * 3, (long) s, 1,
                        List.of(new HeldLock("public.old" + (s % 7), "AccessExclusiveLock")), List.of(),
                        new SchemaDiff(diff, List.of(), List.of(), List.of())));
                for (int f = 0; f < findingsPerStatement; f++) {
                    Severity severity = Severity.values()[random.nextInt(4)];
                    findings.add(new MigrationFinding(v, path, "rule-" + random.nextInt(12), severity, s, s * 3,
                            "m".repeat(20 + random.nextInt(textLength)), "h".repeat(20 + random.nextInt(textLength)), null, null));
                }
                if (random.nextInt(10) == 0) {
                    data.add(new DryRunResult.DataAtRisk(v, s, s * 3, "table public.old" + s, "updated_rows", 1 + s));
                    atRisk.add(new AtRisk(v + "/" + s + "/updated_rows", v, path, s, s * 3, (1 + s) + " row(s) changed"));
                }
            }
        }
        DryRunResult result = new DryRunResult(true, traced.size(), traced, List.of(), null,
                new SchemaDiff(created, List.of(), List.of(), List.of()), data);
        return new ApplyAnswer.Facts(DB, true, pending, result, new TraceOrigin(false, "2026-12-08T00:00:00Z", "first"),
                List.of(), null, findings, atRisk, "apply_to_dev {}", null, null);
    }

    private static ApplyAnswer.View view(ApplyAnswer.Section list, String version, Severity severity, int offset, Integer limit)
            throws ToolException {
        return new ApplyAnswer.View(list, version, severity, Page.of(offset, limit, ApplyAnswer.LIST_PAGE));
    }

    @Test
    void aSmallRunIsAnsweredWholeAsBefore() throws ToolException {
        ApplyAnswer.Facts f = run(1, 1, 3, 1, 2);
        ApplyToDevTool.Output out = ApplyAnswer.answer(f, ApplyAnswer.View.whole());
        assertNull(out.truncated(), "nothing left out");
        assertEquals(f.findings(), out.findings());
        assertEquals(3, out.dryRunResult().statements().size());
        assertEquals(6, out.dryRunResult().schemaDiff().created().size());
    }

    @Test
    void everyAnswerStaysWithinItsBudgetWhateverTheSizeOfTheRun() throws ToolException {
        for (long seed = 0; seed < 12; seed++) {
            int migrations = 1 + (int) (seed * 37 % 300);
            ApplyAnswer.Facts f = run(seed, migrations, 1 + (int) (seed % 9), (int) (seed % 4), (int) (seed % 5));
            List<ApplyAnswer.View> views = new ArrayList<>(List.of(ApplyAnswer.View.whole()));
            for (ApplyAnswer.Section s : ApplyAnswer.Section.values()) {
                views.add(view(s, null, null, 0, null));
                views.add(view(s, null, null, 0, 200));
            }
            views.add(view(null, String.valueOf(migrations), null, 0, null));
            for (ApplyAnswer.View v : views) {
                ApplyToDevTool.Output out = ApplyAnswer.answer(f, v);
                int length = ResultJson.length(out);
                int budget = v.page().explicit() ? Budget.CEILING : Budget.RESULT;
                assertTrue(length <= budget, "seed " + seed + " " + v + ": " + length + " chars");
                assertNotNull(out.summary());
                assertEquals(f.findings().size(), out.summary().findings());
            }
        }
    }

    @Test
    void pagingFindingsFromOffsetZeroShowsEachExactlyOnceMostSevereFirst() throws ToolException {
        ApplyAnswer.Facts f = run(7, 60, 5, 3, 1);
        for (Integer limit : java.util.Arrays.asList(null, 1, 7, 200)) {
            List<MigrationFinding> seen = new ArrayList<>();
            int offset = 0;
            while (true) {
                ApplyToDevTool.Output out = ApplyAnswer.answer(f, view(ApplyAnswer.Section.FINDINGS, null, null, offset, limit));
                assertFalse(out.findings().isEmpty(), "a page shows at least one finding");
                seen.addAll(out.findings());
                offset += out.findings().size();
                if (out.truncated() == null) {
                    break;
                }
                assertEquals("findings", out.truncated().of());
                assertTrue(out.truncated().how().contains("\"offset\":" + offset), out.truncated().how());
            }
            assertEquals(f.findings().size(), seen.size(), "limit " + limit);
            assertEquals(new HashSet<>(f.findings()), new HashSet<>(seen));
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i - 1).severity().compareTo(seen.get(i).severity()) <= 0, "most severe first");
            }
        }
    }

    @Test
    void oneMigrationAndOneSeverityNarrowEveryList() throws ToolException {
        ApplyAnswer.Facts f = run(3, 20, 4, 1, 2, 40);
        ApplyToDevTool.Output one = ApplyAnswer.answer(f, view(null, "5", null, 0, null));
        assertNull(one.truncated(), "one small migration is answered whole: " + one.truncated());
        assertTrue(one.dryRunResult().statements().stream().allMatch(s -> s.version().equals("5")));
        assertEquals(4, one.dryRunResult().statements().size());
        assertTrue(one.findings().stream().allMatch(x -> x.migration().equals("5")));
        assertEquals(List.of("5"), one.pending().stream().map(ApplyToDevTool.Pending::version).toList());
        assertEquals(8, one.dryRunResult().schemaDiff().created().size(), "the migration's own diff");
        for (Severity s : Severity.values()) {
            ApplyToDevTool.Output only = ApplyAnswer.answer(f, view(ApplyAnswer.Section.FINDINGS, null, s, 0, 200));
            long expected = f.findings().stream().filter(x -> x.severity() == s).count();
            assertTrue(only.findings().stream().allMatch(x -> x.severity() == s));
            assertEquals(expected, only.findings().size() + (only.truncated() == null ? 0
                    : only.truncated().total() - only.truncated().shown()));
        }
    }

    @Test
    void aStatementWhoseOwnDiffIsOverAPageIsShownWithItsDiffCut() throws ToolException {
        ApplyAnswer.Facts f = run(5, 1, 1, 0, 3_000);
        ApplyToDevTool.Output out = ApplyAnswer.answer(f, view(ApplyAnswer.Section.STATEMENTS, null, null, 0, null));
        assertTrue(ResultJson.length(out) <= Budget.RESULT);
        assertEquals(1, out.dryRunResult().statements().size(), "the statement is shown, not skipped");
        assertNotNull(out.truncated(), "and the cut is said");
        Set<String> diff = new HashSet<>();
        int offset = 0;
        while (true) {
            ApplyToDevTool.Output page = ApplyAnswer.answer(f, view(ApplyAnswer.Section.SCHEMA_DIFF, null, null, offset, 200));
            diff.addAll(page.dryRunResult().schemaDiff().created());
            offset += page.dryRunResult().schemaDiff().created().size();
            if (page.truncated() == null) {
                break;
            }
        }
        assertEquals(3_000, diff.size(), "the whole diff is reachable in pages");
    }

    @Test
    void aPageAfterTheEndIsEmptyAndSaysNothingIsLeft() throws ToolException {
        ApplyAnswer.Facts f = run(2, 3, 2, 1, 1);
        ApplyToDevTool.Output out = ApplyAnswer.answer(f, view(ApplyAnswer.Section.FINDINGS, null, null, 10_000, null));
        assertEquals(List.of(), out.findings());
        assertNull(out.truncated());
    }
}
