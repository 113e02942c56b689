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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.GeneratedHistory;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;
import dev.safemigrate.tools.ResultJson;

/**
 * A real project's long history through the real server: status and backup stay within the agent's
 * budget whatever the size of the history, say what they left out, and the calls they name page
 * every migration and every table exactly once.
 */
class LongHistoryBudgetTest {

    private static final int MIGRATIONS = 240;
    private static final int RESULT = 8_000;
    private static final int CEILING = 20_000;

    @TempDir
    Path root;

    @Test
    void statusAndBackupFitTheBudgetAndPageEveryItemOfA240MigrationHistory() throws Exception {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("long_history"), "");
        GeneratedHistory.writeFiles(project.migrations(), MIGRATIONS);
        List<String> versions = IntStream.rangeClosed(1, MIGRATIONS).mapToObj(String::valueOf).toList();
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result pending = call(s.client, "status");
            report("status, 240 pending", pending);
            assertTrue(length(pending) <= RESULT, "chars: " + length(pending));
            assertEquals(MIGRATIONS, number(pending, "summary.pending"));
            int shown = pending.list("migrations").size();
            assertTrue(shown > 10 && shown < MIGRATIONS, "pending shown: " + shown);
            assertEquals(versions.subList(0, shown), versions(pending.list("migrations")), "as many as fit, in version order");
            assertEquals("status {\"list\":\"migrations\",\"offset\":" + shown + "}", pending.get("truncated.how"));
            assertEquals(versions.subList(shown, MIGRATIONS), pageAll(s, (String) pending.get("truncated.how"), "migrations",
                    RESULT).stream().map(m -> (String) m.get("version")).toList(), "truncated.how pages the rest");
            assertEquals("show_sql {} then apply_to_dev {\"dry_run\":true}", pending.get("next"));

            applyAll(s);

            Result applied = call(s.client, "status");
            report("status, 240 applied", applied);
            assertTrue(length(applied) <= RESULT, "chars: " + length(applied));
            List<String> keys = new ArrayList<>(applied.structured().keySet());
            assertEquals(List.of("next", "summary", "truncated"), keys.subList(0, 3), "what decides the next step first");
            assertTrue(keys.indexOf("summary") < keys.indexOf("migrations"), keys.toString());
            assertEquals(MIGRATIONS, number(applied, "summary.applied"));
            assertEquals(List.of("236", "237", "238", "239", "240"), versions(applied.list("migrations")), "the last 5 applied");
            assertEquals(Map.of("shown", 5, "total", MIGRATIONS, "of", "migrations", "how", "status {\"list\":\"migrations\"}"),
                    applied.get("truncated"));
            assertTrue(applied.text().length() < 1_000, applied.text());
            for (String first : new String[] {"status {\"list\":\"migrations\"}",
                    "status {\"list\":\"migrations\",\"offset\":0,\"limit\":200}",
                    "status {\"list\":\"migrations\",\"offset\":0,\"limit\":37}"}) {
                List<Map<String, Object>> all = pageAll(s, first, "migrations", first.contains("limit") ? CEILING : RESULT);
                assertEquals(versions, versions(all), "every version exactly once, in order: " + first);
                assertTrue(all.stream().allMatch(m -> "applied".equals(m.get("state"))));
            }

            // 240 migrations make about 120 tables; 400 more force the cut
            TestDatabase.execute(project.database, "do $$ begin for i in 1..400 loop "
                    + "execute format('create table extra_%s (id int)', i); end loop; end $$");
            Result backup = call(s.client, "backup");
            report("backup, 521 tables", backup);
            assertFalse(backup.isError(), backup.toString());
            assertTrue(length(backup) <= RESULT, "chars: " + length(backup));
            String file = (String) backup.get("backup.file");
            int tablesShown = backup.list("backup.tables").size();
            assertEquals("backup.tables", backup.get("truncated.of"));
            int tables = number(backup, "truncated.total");
            assertTrue(tables > 500 && tablesShown < tables, tablesShown + " of " + tables);
            assertEquals("status {\"list\":\"backup_tables\",\"backup\":\"" + file + "\",\"offset\":" + tablesShown + "}",
                    backup.get("truncated.how"));
            List<String> every = new ArrayList<>(names(backup.list("backup.tables")));
            every.addAll(names(pageAll(s, (String) backup.get("truncated.how"), "backup_tables", RESULT)));
            assertEquals(tables, every.size());
            assertEquals(tables, new LinkedHashSet<>(every).size(), "every table exactly once");
            assertTrue(every.containsAll(List.of("public.e80", "public.e40_log", "public.extra_400", "public.flyway_schema_history")));

            Result withBackup = call(s.client, "status");
            assertEquals(file, withBackup.get("last_backup.file"));
            assertEquals(tables, number(withBackup, "last_backup.tables"));
            assertEquals(every, names(pageAll(s, "status {\"list\":\"backup_tables\",\"limit\":200}", "backup_tables", CEILING)),
                    "the newest backup by default, in the manifest's order");
            Result unknown = call(s.client, "status", "list", "backup_tables", "backup", "../../etc/passwd");
            assertEquals("INVALID_INPUT", unknown.errorCode(), unknown.toString());
            assertTrue(((String) unknown.get("error.hint")).contains(file), unknown.toString());
        }
    }

    /**
     * Every page from the call given, following truncated.how, each within its budget (ToolCalls
     * checks each against the published schema).
     */
    private static List<Map<String, Object>> pageAll(InProcessServer s, String how, String list, int budget) {
        List<Map<String, Object>> items = new ArrayList<>();
        Set<Object> offsets = new LinkedHashSet<>();
        for (String next = how; next != null; ) {
            assertTrue(next.startsWith("status "), next);
            @SuppressWarnings("unchecked")
            Map<String, Object> args = ResultJson.JSON.readValue(next.substring("status ".length()), Map.class);
            Result page = call(s.client, "status", args.entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
            assertFalse(page.isError(), page.toString());
            assertTrue(length(page) <= budget, "chars: " + length(page) + " for " + next);
            assertTrue(offsets.add(page.get("offset")), "each offset once: " + offsets);
            assertEquals(list, page.get("list"));
            List<Map<String, Object>> shown = page.list(list);
            assertFalse(shown.isEmpty(), "a page that shows nothing would never end: " + next);
            items.addAll(shown);
            next = (String) page.get("truncated.how");
        }
        return items;
    }

    /** All 240 applied; the history drops a column it added, so a person's confirmation is asked for first. */
    private static void applyAll(InProcessServer s) {
        Result first = call(s.client, "apply_to_dev");
        Result applied = first;
        if (first.isError()) {
            assertEquals("CONFIRMATION_REQUIRED", first.errorCode(), first.toString());
            applied = call(s.client, "apply_to_dev", "confirm", first.get("confirmation_token"));
        }
        assertFalse(applied.isError(), applied.toString());
        assertEquals(MIGRATIONS, ((Number) applied.get("summary.migrations")).intValue(), "the apply counts them all");
        assertEquals(MIGRATIONS, call(s.client, "status").get("summary.applied"));
    }

    private static void report(String what, Result r) {
        System.out.println(what + ": " + length(r) + " chars of structuredContent, text " + r.text().length() + " chars");
    }

    private static int length(Result r) {
        return ResultJson.length(r.structured());
    }

    private static int number(Result r, String path) {
        Object v = r.get(path);
        assertNotNull(v, path + " in " + r);
        return ((Number) v).intValue();
    }

    private static List<String> versions(List<Map<String, Object>> migrations) {
        return migrations.stream().map(m -> (String) m.get("version")).toList();
    }

    private static List<String> names(List<Map<String, Object>> tables) {
        return tables.stream().map(t -> t.get("schema") + "." + t.get("name")).toList();
    }

    @Test
    void pagingArgumentsOutsideTheirLimitsAreRefused() {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("paging_args"), "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            assertEquals("INVALID_INPUT", call(s.client, "status", "list", "migrations", "limit", 201).errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "status", "list", "migrations", "offset", -1).errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "status", "list", "everything").errorCode());
            assertEquals("INVALID_INPUT", call(s.client, "status", "offset", 5).errorCode(), "offset without a list");
            assertEquals("INVALID_INPUT", call(s.client, "status", "list", "schemas", "backup", "x.dump").errorCode());
            Result none = call(s.client, "status", "list", "backup_tables");
            assertEquals("INVALID_INPUT", none.errorCode(), none.toString());
            assertTrue(((String) none.get("error.hint")).contains("backup {}"), none.toString());
            Result empty = call(s.client, "status", "list", "migrations");
            assertEquals(0, number(empty, "total"));
            assertNull(empty.get("truncated"));
            assertNotNull(empty.get("database.verified"), "a page that read the database carries its identity");
        }
    }
}
