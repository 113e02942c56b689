package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;
import tools.jackson.core.type.TypeReference;

import dev.safemigrate.testing.GeneratedHistory;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;
import dev.safemigrate.tools.ResultJson;

/**
 * On a long history every show_sql and create_migration result stays within what an agent's client
 * passes to its model (8,000 characters by default, 20,000 for a page asked for with a limit), says
 * what it left out, and leaves nothing unreachable: following truncated.how shows every item once.
 */
class ShowSqlLongHistoryTest {

    private static final int RESULT = 8_000;
    private static final int CEILING = 20_000;
    private static final List<String> SEVERITIES = List.of("block", "confirm", "warn", "info");

    @TempDir
    Path root;

    @Test
    void aPendingHistoryOf240MigrationsIsSummarisedAndEveryFindingIsPagedExactlyOnce() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("history240"), "");
        List<List<String>> history = GeneratedHistory.writeFiles(p.migrations(), 240);
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result pending = call(s.client, "show_sql");
            assertFalse(pending.isError(), pending.toString());
            assertTrue(size(pending) <= RESULT, "show_sql {}: " + size(pending));
            List<String> keys = new ArrayList<>(pending.structured().keySet());
            assertEquals(List.of("next", "findings_summary", "truncated", "database", "migrations"), keys);
            assertEquals("apply_to_dev {\"dry_run\":true}", pending.get("next"));
            assertEquals("migrations", pending.get("truncated.of"));
            assertEquals(240, pending.get("truncated.total"));
            assertNull(pending.get("migrations.0.sql"), "one-line summaries");
            assertEquals("pending", pending.get("migrations.0.state"));
            assertPersonText(pending);
            int total = (Integer) pending.get("findings_summary.total");
            assertTrue(total > 240, "a finding or more per migration: " + total);

            List<String> versions = new ArrayList<>();
            pages(s.client, pending, RESULT, r -> r.list("migrations").forEach(m -> versions.add((String) m.get("version"))));
            assertEquals(IntStream.rangeClosed(1, 240).mapToObj(String::valueOf).toList(), versions);

            List<Map<String, Object>> all = new ArrayList<>();
            pages(s.client, call(s.client, "show_sql", "list", "findings", "limit", 200), CEILING, r -> all.addAll(r.list("findings")));
            assertEquals(total, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(SEVERITIES.indexOf(all.get(i - 1).get("severity")) <= SEVERITIES.indexOf(all.get(i).get("severity")),
                        "most severe first: " + all.get(i));
            }

            for (int v : List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 240)) {   // every shape of the history, twice
                Result one = call(s.client, "show_sql", "version", String.valueOf(v));
                assertTrue(size(one) <= RESULT, "show_sql version " + v + ": " + size(one));
                assertNotNull(one.get("migrations.0.sql"), "a migration of the history shown whole");
            }
            List<Map<String, Object>> byVersion = new ArrayList<>();
            for (int v = 1; v <= 240; v++) {
                pages(s.client, call(s.client, "show_sql", "version", String.valueOf(v), "list", "findings"), RESULT,
                        r -> byVersion.addAll(r.list("findings")));
            }
            assertEquals(sorted(keys(all)), sorted(keys(byVersion)), "the same findings, each once, all pending or by version");

            int bySeverity = 0;
            for (String severity : SEVERITIES) {
                List<Map<String, Object>> only = new ArrayList<>();
                pages(s.client, call(s.client, "show_sql", "list", "findings", "severity", severity), RESULT,
                        r -> only.addAll(r.list("findings")));
                assertTrue(only.stream().allMatch(f -> f.get("severity").equals(severity)), severity);
                assertEquals(pending.get("findings_summary.by_severity." + severity), only.size(), severity);
                bySeverity += only.size();
            }
            assertEquals(total, bySeverity);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMigrationOf3000StatementsIsWrittenAndShownInBudgetWithEveryStatementAndFindingReachable() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("seed3000"), "");
        List<String> statements = new ArrayList<>();
        for (int i = 1; i < 3000; i++) {
            statements.add("create table seed_" + i + " (id int primary key, amount int not null)");
        }
        statements.add("drop table legacy_seed");   // the one confirm among thousands of info findings: shown first
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "seed", "sql", String.join(";\n", statements) + ";");
            assertFalse(created.isError(), created.toString());
            assertTrue(size(created) <= RESULT, "create_migration: " + size(created));
            assertEquals(List.of("next", "findings_summary", "truncated"), new ArrayList<>(created.structured().keySet()).subList(0, 3));
            assertEquals("apply_to_dev {\"dry_run\":true}", created.get("next"));
            String version = (String) created.get("version");
            int total = (Integer) created.get("findings_summary.total");
            assertTrue(total >= 3000, "a type-hygiene finding per statement at least: " + total);
            assertEquals("findings", created.get("truncated.of"));
            assertEquals(total, created.get("truncated.total"));
            int shown = created.list("findings").size();
            assertEquals(shown, created.get("truncated.shown"));
            assertEquals("show_sql {\"version\":\"" + version + "\",\"list\":\"findings\",\"offset\":" + shown + "}",
                    created.get("truncated.how"));
            assertTrue(created.text().length() < 1_000, created.text());

            assertEquals("confirm", created.get("findings.0.severity"), "most severe first when cut");
            assertTrue(created.list("findings").stream().skip(1).allMatch(f -> f.get("severity").equals("info")));
            List<Map<String, Object>> findings = new ArrayList<>(created.list("findings"));
            Result followed = follow(s.client, (String) created.get("truncated.how"));
            assertTrue(size(followed) <= RESULT, "the page truncated.how names: " + size(followed));
            findings.addAll(followed.list("findings"));
            pages(s.client, call(s.client, "show_sql", "version", version, "list", "findings", "offset", findings.size(),
                    "limit", 200), CEILING, r -> findings.addAll(r.list("findings")));
            assertEquals(total, findings.size());

            Result one = call(s.client, "show_sql", "version", version);
            assertTrue(size(one) <= RESULT, "show_sql version: " + size(one));
            assertEquals(3000, one.get("migrations.0.statement_count"));
            assertTrue(((String) one.get("migrations.0.sql")).length() < 2_000, "the head of the SQL");
            assertTrue(one.toString().contains("show_sql {\"version\":\"" + version + "\",\"list\":\"statements\",\"offset\":"),
                    one.toString());
            assertPersonText(one);

            Result firstPage = call(s.client, "show_sql", "version", version, "list", "statements");
            assertTrue(size(firstPage) <= RESULT, "a page without a limit: " + size(firstPage));
            int onFirst = firstPage.list("statements").size();
            assertEquals("show_sql {\"version\":\"" + version + "\",\"list\":\"statements\",\"offset\":" + onFirst + "}",
                    firstPage.get("truncated.how"));
            List<Map<String, Object>> paged = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            pages(s.client, call(s.client, "show_sql", "version", version, "list", "statements", "limit", 200), CEILING, r -> {
                paged.addAll(r.list("statements"));
                pageSizes.add(r.list("statements").size());
            });
            assertTrue(pageSizes.get(0) > onFirst, "an explicit limit pages more at once: " + pageSizes);
            assertEquals(IntStream.rangeClosed(1, 3000).boxed().toList(),
                    paged.stream().map(st -> st.get("index")).toList());
            assertEquals(statements, paged.stream().map(st -> (String) st.get("text")).toList());
            List<Map<String, Object>> perStatement = new ArrayList<>();
            paged.forEach(st -> perStatement.addAll((List<Map<String, Object>>) st.get("findings")));
            assertEquals(sorted(keys(perStatement.stream().map(f -> withVersion(f, version)).toList())),
                    sorted(keys(findings.stream().map(f -> withVersion(f, version)).toList())),
                    "create_migration's findings, then show_sql's from its offset: each once");
        }
    }

    /** Calls each truncated.how in turn from {@code first}, as an agent would, checking every page's size. */
    private static void pages(McpSyncClient client, Result first, int budget, Consumer<Result> page) {
        Result r = first;
        for (int calls = 0; ; calls++) {
            assertFalse(r.isError(), r.toString());
            assertTrue(size(r) <= budget, "a page of " + size(r) + " characters");
            assertTrue(calls < 1_000, "paging ends");
            page.accept(r);
            String how = (String) r.get("truncated.how");
            if (how == null || !how.contains("offset")) {
                return;
            }
            r = follow(client, how);
        }
    }

    /** Makes a call written as {@code tool {"argument":value}}, exactly as a result names it. */
    private static Result follow(McpSyncClient client, String how) {
        int space = how.indexOf(' ');
        Map<String, Object> args = ResultJson.JSON.readValue(how.substring(space + 1), new TypeReference<Map<String, Object>>() {});
        List<Object> keyValues = new ArrayList<>();
        args.forEach((k, v) -> {
            keyValues.add(k);
            keyValues.add(v);
        });
        return call(client, how.substring(0, space), keyValues.toArray());
    }

    private static void assertPersonText(Result r) {
        assertTrue(r.text().length() < 1_000, r.text().length() + ": " + r.text());
        assertFalse(r.text().toLowerCase(Locale.ROOT).contains("create table"), "no SQL listing: " + r.text());
        assertTrue(r.text().contains("apply_to_dev"), r.text());
    }

    private static int size(Result r) {
        return ResultJson.length(r.structured());
    }

    private static Map<String, Object> withVersion(Map<String, Object> finding, String version) {
        Map<String, Object> out = new LinkedHashMap<>(finding);
        out.put("migration", version);
        return out;
    }

    private static List<String> keys(List<Map<String, Object>> findings) {
        return findings.stream().map(f -> f.get("migration") + "/" + f.get("statement") + "/" + f.get("rule") + "/"
                + f.get("line")).toList();
    }

    private static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().toList();
    }
}
