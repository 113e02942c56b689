package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.GeneratedHistory;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;
import dev.safemigrate.tools.ResultJson;

/**
 * On the 240-migration history, every answer fits what an agent's client passes to its model,
 * the fields that decide the next step come first, and every fact left out is behind a call that
 * pages it exactly once. The first half of the history is applied; one more migration after the
 * second half then changes rows in each of the first half's tables, so the apply asks a person
 * about more risks than one answer can name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeHistoryAnswersTest {

    static final int DEFAULT_BUDGET = 8_000;
    static final int CEILING = 20_000;
    static final int HALF = 120;
    /** The history, and one more migration that changes rows in the 40 tables of its first half. */
    static final int MIGRATIONS = 241;
    static final int TOUCHED_TABLES = 40;

    @TempDir
    static Path root;

    private InProcessServer server;
    private ProjectDir project;

    @BeforeAll
    void applyTheFirstHalf() throws IOException {
        project = ProjectDir.create(root, TestDatabase.create("largehistory"), "");
        GeneratedHistory.writeFiles(project.migrations(), 240);
        StringBuilder touch = new StringBuilder();
        for (int t = 1; t <= TOUCHED_TABLES; t++) {
            touch.append("update e").append(t).append(" set status = 'touched' where name = 'a';\n");
        }
        Files.writeString(project.migrations().resolve("V241__touch_existing.sql"), touch.toString());
        server = InProcessServer.start(project.config());
        Result first = call(server.client, "apply_to_dev", "target_version", String.valueOf(HALF));
        assertFalse(first.isError(), first.toString());
        within(first, DEFAULT_BUDGET);
        assertEquals(HALF, ((Number) first.get("summary.migrations")).intValue(), first.toString());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    @Order(0)
    void statusAndShowSqlOfManyPendingMigrationsFitWithTheNextStepFirst() {
        Result status = call(server.client, "status");
        within(status, DEFAULT_BUDGET);
        assertKeysStartWith(status, List.of("next", "summary", "truncated"));
        assertEquals(MIGRATIONS - HALF, ((Number) status.get("summary.pending")).intValue());
        Result all = call(server.client, "show_sql");
        within(all, DEFAULT_BUDGET);
        assertKeysStartWith(all, List.of("next", "findings_summary", "truncated"));
        assertNotNull(all.get("truncated.how"), "the rest is behind a call: " + all);
        Result one = call(server.client, "show_sql", "version", String.valueOf(HALF + 5));
        within(one, DEFAULT_BUDGET);
        assertNotNull(one.get("migrations.0.sql"), "one migration is shown with its SQL: " + one);
    }

    @Test
    @Order(1)
    void theDryRunOfManyMigrationsIsASummaryWithTheNextStepFirst() {
        Result dry = call(server.client, "apply_to_dev", "dry_run", true);
        assertFalse(dry.isError(), dry.toString());
        within(dry, DEFAULT_BUDGET);
        assertKeysStartWith(dry, List.of("at_risk", "next", "summary", "findings_summary", "truncated"));
        assertEquals(MIGRATIONS - HALF, ((Number) dry.get("summary.migrations")).intValue());
        assertEquals(TOUCHED_TABLES, ((Number) dry.get("summary.at_risk")).intValue(), "updated existing rows: " + dry);
        assertTrue(((Number) dry.get("summary.findings")).intValue() > 100, dry.toString());
        assertNull(dry.get("findings"), "the findings are behind a call, not dumped");
        assertNull(dry.get("dry_run_result.statements"), "the statements are behind a call, not dumped");
        assertNotNull(dry.get("truncated.how"), dry.toString());
        assertTrue(dry.text().length() < 1_500, "the text is a few lines for a person: " + dry.text());
        List<String> top = (List<String>) dry.get("findings_summary.top");
        assertFalse(top.isEmpty());
        assertTrue(top.get(0).startsWith("confirm db/migrations/V"), "the most severe first, with file and line: " + top);
    }

    @Test
    @Order(2)
    void pagingTheFindingsReturnsEveryFindingExactlyOnce() {
        Result dry = call(server.client, "apply_to_dev", "dry_run", true);
        int total = ((Number) dry.get("summary.findings")).intValue();
        List<String> seen = page("findings", null, null, 200, CEILING, f -> f.get("migration") + "/" + f.get("statement")
                + "/" + f.get("rule") + "/" + f.get("line"));
        assertEquals(total, seen.size());
        assertEquals(total, new HashSet<>(seen).size(), "no finding twice");
        // by severity, the pages add up to the same findings
        Set<String> bySeverity = new HashSet<>();
        for (String severity : List.of("block", "confirm", "warn", "info")) {
            List<String> some = page("findings", null, severity, null, DEFAULT_BUDGET, f -> {
                assertEquals(severity, f.get("severity"));
                return f.get("migration") + "/" + f.get("statement") + "/" + f.get("rule") + "/" + f.get("line");
            });
            assertEquals(((Number) dry.get("findings_summary.by_severity." + severity)).intValue(), some.size());
            bySeverity.addAll(some);
        }
        assertEquals(new HashSet<>(seen), bySeverity);
    }

    @Test
    @Order(3)
    void oneMigrationsFullTraceIsOneCallAndItsStatementsAreAllReachable() {
        String version = String.valueOf(HALF + 3);
        Result one = call(server.client, "apply_to_dev", "dry_run", true, "version", version);
        assertFalse(one.isError(), one.toString());
        within(one, DEFAULT_BUDGET);
        List<Map<String, Object>> statements = one.list("dry_run_result.statements");
        assertNotNull(statements, one.toString());
        assertTrue(statements.stream().allMatch(s -> s.get("version").equals(version)));
        int expected = GeneratedHistory.history(240).get(HALF + 2).size();
        List<String> paged = page("statements", version, null, 2, CEILING, s -> s.get("version") + "/" + s.get("index"));
        assertEquals(expected, paged.size(), paged.toString());
        assertEquals(expected, new HashSet<>(paged).size());
    }

    @Test
    @Order(4)
    void everyListOfTheDryRunPagesCompletely() {
        Result dry = call(server.client, "apply_to_dev", "dry_run", true);
        assertEquals(MIGRATIONS - HALF, page("pending", null, null, null, DEFAULT_BUDGET, p -> (String) p.get("version")).size());
        assertEquals(((Number) dry.get("summary.at_risk")).intValue(),
                page("at_risk", null, null, null, DEFAULT_BUDGET, a -> (String) a.get("id")).size());
        int created = ((Number) dry.get("summary.created")).intValue();
        int dropped = ((Number) dry.get("summary.dropped")).intValue();
        int altered = ((Number) dry.get("summary.altered")).intValue();
        int rewritten = ((Number) dry.get("summary.rewritten")).intValue();
        List<String> diff = new ArrayList<>();
        int offset = 0;
        while (true) {
            Result r = offset == 0 ? call(server.client, "apply_to_dev", "dry_run", true, "list", "schema_diff")
                    : call(server.client, "apply_to_dev", "dry_run", true, "list", "schema_diff", "offset", offset);
            within(r, DEFAULT_BUDGET);
            int n = 0;
            for (String kind : List.of("created", "dropped", "altered", "rewritten")) {
                List<String> entries = (List<String>) r.get("dry_run_result.schema_diff." + kind);
                entries.forEach(e -> diff.add(kind + " " + e));
                n += entries.size();
            }
            assertTrue(n > 0, "a page shows something: " + r);
            offset += n;
            if (r.get("truncated") == null) {
                break;
            }
        }
        assertEquals(created + dropped + altered + rewritten, diff.size());
        assertEquals(diff.size(), new HashSet<>(diff).size());
    }

    @Test
    @Order(5)
    void theConfirmationAndItsTokenComeFirstAndTheConfirmedApplyFits() {
        Result asked = call(server.client, "apply_to_dev");
        assertTrue(asked.isError());
        assertEquals("CONFIRMATION_REQUIRED", asked.errorCode(), asked.toString());
        String json = within(asked, DEFAULT_BUDGET);
        assertKeysStartWith(asked, List.of("error", "at_risk", "confirmation_token", "expires_at", "next"));
        assertTrue(json.indexOf("\"confirmation_token\"") < 8_000);
        List<Map<String, Object>> atRisk = asked.list("at_risk");
        assertFalse(atRisk.isEmpty());
        if (atRisk.size() < TOUCHED_TABLES) {
            assertEquals("at_risk", asked.get("truncated.of"), "what is left out of at_risk is said first: " + asked);
            assertEquals(TOUCHED_TABLES, ((Number) asked.get("truncated.total")).intValue());
        }
        String token = (String) asked.get("confirmation_token");
        assertTrue(asked.text().contains(token) && asked.text().length() < 1_500,
                "the text gives a person the risks in numbers, the token and the next step in a few lines: " + asked.text());
        Result applied = call(server.client, "apply_to_dev", "confirm", token);
        assertFalse(applied.isError(), applied.toString());
        within(applied, DEFAULT_BUDGET);
        assertEquals(MIGRATIONS - HALF, ((Number) applied.get("summary.migrations")).intValue());
        assertEquals(MIGRATIONS, TestDatabase.queryLong(project.database,
                "select count(*) from flyway_schema_history where success"));
        Result nothing = call(server.client, "apply_to_dev", "dry_run", true);
        within(nothing, DEFAULT_BUDGET);
        Result status = call(server.client, "status");
        within(status, DEFAULT_BUDGET);
        assertEquals(MIGRATIONS, ((Number) status.get("summary.applied")).intValue());
        Result backup = call(server.client, "backup");
        assertFalse(backup.isError(), backup.toString());
        within(backup, DEFAULT_BUDGET);
    }

    /** Pages through one list from offset 0 until the answer says nothing is left out. */
    private List<String> page(String list, String version, String severity, Integer limit, int budget,
                              java.util.function.Function<Map<String, Object>, String> key) {
        List<String> seen = new ArrayList<>();
        int offset = 0;
        for (int pages = 0; pages < 1_000; pages++) {
            List<Object> args = new ArrayList<>(List.of("dry_run", true, "list", list, "offset", offset));
            if (version != null) {
                args.addAll(List.of("version", version));
            }
            if (severity != null) {
                args.addAll(List.of("severity", severity));
            }
            if (limit != null) {
                args.addAll(List.of("limit", limit));
            }
            Result r = call(server.client, "apply_to_dev", args.toArray());
            assertFalse(r.isError(), r.toString());
            within(r, budget);
            String field = list.equals("statements") || list.equals("data_at_risk") || list.equals("not_dry_runnable")
                    ? "dry_run_result." + list : list;
            List<Map<String, Object>> items = r.list(field);
            assertNotNull(items, field + " missing: " + r);
            items.forEach(i -> seen.add(key.apply(i)));
            if (r.get("truncated") == null) {
                return seen;
            }
            assertEquals(list, r.get("truncated.of"));
            assertTrue(!items.isEmpty(), "a page that is cut shows something: " + r);
            offset += items.size();
            assertTrue(((String) r.get("truncated.how")).contains("\"offset\":" + offset), r.get("truncated.how").toString());
        }
        throw new AssertionError("paging did not end");
    }

    private static String within(Result r, int budget) {
        String json = ResultJson.JSON.writeValueAsString(r.structured());
        assertTrue(json.length() <= budget, json.length() + " chars, over " + budget + ": " + json.substring(0, 500));
        return json;
    }

    private static void assertKeysStartWith(Result r, List<String> expected) {
        List<String> keys = new ArrayList<>(r.structured().keySet());
        List<String> present = expected.stream().filter(keys::contains).toList();
        assertEquals(present, keys.subList(0, present.size()), "decisive keys first: " + keys);
    }
}
