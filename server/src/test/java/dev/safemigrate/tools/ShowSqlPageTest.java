package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.core.type.TypeReference;

import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.testing.GeneratedHistory;
import dev.safemigrate.tools.ShowSqlPage.Listing;
import dev.safemigrate.tools.ShowSqlTool.Output;
import dev.safemigrate.tools.ShowSqlTool.Reviewed;

/** What one show_sql result shows of the reviewed migrations, without a database: the budget, the pages, their order. */
class ShowSqlPageTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();
    private static final List<Reviewed> HISTORY = history(60);

    private static List<Reviewed> history(int count) {
        List<List<String>> h = GeneratedHistory.history(count);
        List<Reviewed> out = new ArrayList<>();
        for (int m = 1; m <= count; m++) {
            out.add(reviewed(String.valueOf(m), String.join(";\n", h.get(m - 1)) + ";\n"));
        }
        return out;
    }

    private static Reviewed reviewed(String version, String sql) {
        return new Reviewed(version, "m" + version, "db/migrations/V" + version + "__m" + version + ".sql", "pending", true,
                sql.hashCode(), sql, ANALYZER.analyze(sql), AnalysisBasis.staticOnly("static only: no database in this test"));
    }

    private static Output page(String version, Listing list, Severity severity, Integer offset, Integer limit,
                               List<Reviewed> chosen) throws ToolException {
        return new ShowSqlPage(version, list, severity, Page.of(offset, limit, ShowSqlPage.DEFAULT_LIMIT), null, chosen)
                .output();
    }

    /** The offset truncated.how asks for next, or null when the result shows the end of its list. */
    private static Integer nextOffset(Output out) {
        if (out.truncated() == null || !out.truncated().how().contains("\"offset\"")) {
            return null;
        }
        String how = out.truncated().how();
        Map<String, Object> args = ResultJson.JSON.readValue(how.substring(how.indexOf(' ') + 1),
                new TypeReference<Map<String, Object>>() {});
        return (Integer) args.get("offset");
    }

    private static int size(Output out) {
        return ResultJson.length(out);
    }

    @Test
    void aSmallMigrationIsShownWholeWithEachFindingOnce() throws ToolException {
        Reviewed r = reviewed("1", "create table t (id int primary key, name varchar(20));\ncreate index t_name on t (name);\n");
        Output out = page(null, null, null, null, null, List.of(r));
        assertNull(out.truncated());
        assertEquals("apply_to_dev {\"dry_run\":true}", out.next());
        ShowSqlTool.Migration m = out.migrations().get(0);
        assertEquals(r.sql(), m.sql());
        assertEquals(2, m.statements().size());
        assertTrue(m.statements().stream().allMatch(s -> s.findings() == null && s.text() == null),
                "the migration's findings name their statement: not listed twice");
        assertEquals(r.analysis().findings(), m.findings());
        assertEquals(r.analysis().findings().size(), out.findingsSummary().total());
        assertNotNull(m.analysis().note());
        assertEquals(List.of("next", "findings_summary", "migrations"), List.copyOf(ResultJson.JSON.convertValue(out,
                new TypeReference<Map<String, Object>>() {}).keySet()), "decisive first; the audit's facts are not sent");
    }

    @Test
    void aLongHistoryIsShownInOneLineEachAndEveryMigrationOnceAcrossThePages() throws ToolException {
        List<String> versions = new ArrayList<>();
        Integer offset = null;
        int pages = 0;
        do {
            Output out = page(null, null, null, offset, null, HISTORY);
            assertTrue(size(out) <= Budget.usable(Budget.RESULT), "a page of " + size(out));
            assertTrue(out.migrations().stream().allMatch(m -> m.sql() == null && m.statements() == null && m.findings() == null));
            assertTrue(out.migrations().stream().allMatch(m -> m.analysis().note() == null));
            assertEquals(HISTORY.stream().mapToInt(r -> r.analysis().findings().size()).sum(), out.findingsSummary().total(),
                    "the summary counts every migration, not only the page's");
            out.migrations().forEach(m -> versions.add(m.version()));
            offset = nextOffset(out);
            if (offset != null) {
                assertEquals("show_sql {\"list\":\"migrations\",\"offset\":" + offset + "}", out.truncated().how());
                assertEquals(60, out.truncated().total());
                assertEquals("detail", out.truncated().also().get(0).of());
            }
            pages++;
        } while (offset != null);
        assertEquals(HISTORY.stream().map(Reviewed::version).toList(), versions);
        assertTrue(pages > 1, "the history does not fit one page");
    }

    @Test
    void findingsArePagedMostSevereFirstEachExactlyOnceAndBySeverity() throws ToolException {
        List<MigrationFinding> expected = ShowSqlPage.pagingOrder(HISTORY);
        for (int i = 1; i < expected.size(); i++) {
            assertTrue(expected.get(i - 1).severity().compareTo(expected.get(i).severity()) <= 0);
        }
        assertEquals(expected, paged(null, 7));
        assertEquals(expected, paged(null, null));
        int total = 0;
        for (Severity s : Severity.values()) {
            List<MigrationFinding> only = paged(s, null);
            assertEquals(expected.stream().filter(f -> f.severity() == s).toList(), only);
            total += only.size();
        }
        assertEquals(expected.size(), total);
    }

    private static List<MigrationFinding> paged(Severity severity, Integer limit) throws ToolException {
        List<MigrationFinding> out = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            Output page = page(null, Listing.FINDINGS, severity, offset, limit, HISTORY);
            assertTrue(size(page) <= Budget.usable(limit == null ? Budget.RESULT : Budget.CEILING), "a page of " + size(page));
            assertTrue(limit == null || page.findings().size() <= limit);
            assertNull(page.migrations());
            out.addAll(page.findings());
            offset = nextOffset(page);
        }
        return out;
    }

    @Test
    void aHugeMigrationShowsTheHeadOfItsSqlAndPagesItsStatements() throws ToolException {
        StringBuilder sql = new StringBuilder();
        for (int i = 1; i <= 2_000; i++) {
            sql.append("insert into seed (id, name) values (").append(i).append(", 'row ").append(i).append("');\n");
        }
        sql.append("alter table seed drop column name;\n");
        Reviewed r = reviewed("7", sql.toString());
        Output out = page("7", null, null, null, null, List.of(r));
        assertTrue(size(out) <= Budget.usable(Budget.RESULT), "show_sql version: " + size(out));
        ShowSqlTool.Migration m = out.migrations().get(0);
        assertTrue(m.sql().startsWith("insert into seed") && m.sql().length() < ShowSqlPage.SQL_HEAD + 40, m.sql());
        assertEquals(2_001, m.statementCount());
        assertEquals(Severity.CONFIRM, m.findings().get(0).severity(), "most severe first when cut");
        List<String> cut = new ArrayList<>();
        cut.add(out.truncated().of());
        out.truncated().also().forEach(t -> cut.add(t.of()));
        assertTrue(cut.containsAll(List.of("statements", "sql")), cut.toString());

        List<Integer> indexes = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            Output p = page("7", Listing.STATEMENTS, null, offset, null, List.of(r));
            assertTrue(size(p) <= Budget.usable(Budget.RESULT));
            p.statements().forEach(s -> {
                indexes.add(s.index());
                assertEquals(r.analysis().statements().get(s.index() - 1).text(), s.text());
            });
            offset = nextOffset(p);
        }
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 2_001).boxed().toList(), indexes);
    }

    @Test
    void aStatementLongerThanAPageIsListedWithTheHeadOfItsText() throws ToolException {
        Reviewed r = reviewed("3", "insert into t (note) values ('" + "x".repeat(30_000) + "');\nselect 1;\n");
        Output first = page("3", Listing.STATEMENTS, null, null, null, List.of(r));
        assertTrue(size(first) <= Budget.usable(Budget.RESULT), "a page of " + size(first));
        assertEquals(1, first.statements().size(), "the page still shows one statement");
        assertTrue(first.statements().get(0).text().contains("more characters)"));
        assertEquals("show_sql {\"version\":\"3\",\"list\":\"statements\",\"offset\":1}", first.truncated().how());
    }

    @Test
    void aPageBeyondTheEndIsEmptyAndLeavesNothingOut() throws ToolException {
        Output out = page(null, Listing.FINDINGS, null, 10_000, null, HISTORY);
        assertEquals(List.of(), out.findings());
        assertNull(out.truncated());
        assertTrue(out.findingsSummary().total() > 0);
    }

    @Test
    void anExplicitLimitKeepsToItAndToTheCeiling() throws ToolException {
        Output out = page(null, Listing.FINDINGS, null, 0, 200, HISTORY);
        assertTrue(size(out) <= Budget.usable(Budget.CEILING));
        assertTrue(size(out) > Budget.RESULT, "a page asked for with a limit may use the ceiling: " + size(out));
        assertTrue(out.truncated().how().endsWith(",\"limit\":200}"), out.truncated().how());
    }
}
