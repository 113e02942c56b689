package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** create_migration and show_sql read the dev database's catalog, and say so; without it the analysis is static. */
class CatalogAwareAnalysisTest {

    @TempDir
    Path root;

    private static Map<String, Object> finding(Result r, String path, String rule) {
        return r.list(path).stream().filter(f -> f.get("rule").equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " in " + r));
    }

    @Test
    void narrowingTextToVarcharIsConfirmAndNamedAWideningIsInfo() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("catalog_types"), "");
        TestDatabase.execute(p.database, "create table users (id bigint, email text); "
                + "create table items (nick varchar(20), price numeric(10,2))");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result narrow = call(s.client, "create_migration", "name", "narrow_email", "sql",
                    "alter table users alter column email type varchar(20);");
            assertFalse(narrow.isError(), narrow.toString());
            assertEquals("catalog", narrow.get("analysis.kind"));
            assertTrue(((String) narrow.get("analysis.server_version")).startsWith("15."), narrow.toString());
            Map<String, Object> f = finding(narrow, "findings", "alter-column-type");
            assertEquals("confirm", f.get("severity"));
            assertTrue(((String) f.get("message")).contains("email is text in the development database"), f.toString());
            assertTrue(((String) f.get("message")).contains("narrowing"), f.toString());

            // another table: the pending narrow_email changes users, so its catalog facts no longer hold
            Result widen = call(s.client, "create_migration", "name", "widen", "sql",
                    "alter table items alter column nick type text, alter column price type numeric(12,2);");
            List<Map<String, Object>> types = widen.list("findings").stream()
                    .filter(x -> x.get("rule").equals("alter-column-type")).toList();
            assertEquals(2, types.size(), widen.toString());
            types.forEach(x -> assertEquals("info", x.get("severity"), x.toString()));
            assertTrue(((String) types.get(0).get("message")).contains("nick is character varying(20)"), types.toString());
            assertTrue(((String) types.get(0).get("message")).contains("binary-compatible widening"), types.toString());
        }
    }

    @Test
    void theLockFindingNamesTheTablesSizeAndEstimatedRows() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("catalog_size"), "");
        TestDatabase.execute(p.database, "create table orders (id bigint, note text); "
                + "insert into orders select g, 'x' from generate_series(1, 5000) g; analyze orders");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result r = call(s.client, "create_migration", "name", "orders_note", "sql",
                    "create index orders_note on orders (note);");
            Map<String, Object> f = finding(r, "findings", "index-not-concurrent");
            String m = (String) f.get("message");
            assertTrue(m.contains("public.orders is ") && m.contains(" kB with about 5,000 rows (planner estimate)"), m);

            Result shown = call(s.client, "show_sql", "pending", true);
            assertEquals("catalog", shown.get("migrations.0.analysis.kind"), shown.toString());
            assertTrue(((String) finding(shown, "migrations.0.findings", "index-not-concurrent").get("message"))
                    .contains("about 5,000 rows"), shown.toString());
            assertTrue(shown.text().contains("catalog analysis"), shown.text());
        }
    }

    /** The catalog shows an applied migration's result: after TYPE varchar(20) ran, it would look like no change. */
    @Test
    void anAppliedMigrationAndOneAfterAPendingChangeOfTheSameTableAreStatic() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("catalog_order"), "");
        TestDatabase.execute(p.database, "create table users (id bigint, nick varchar(20))");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "grow", "sql", "alter table users alter column nick type varchar(200);");
            Result second = call(s.client, "create_migration", "name", "shrink", "sql",
                    "alter table users alter column nick type varchar(50);");
            // the catalog says varchar(20), but the pending first migration makes it varchar(200): no facts for users
            assertTrue(second.list("findings").stream().noneMatch(x -> "info".equals(x.get("severity"))
                    && x.get("rule").equals("alter-column-type")), second.toString());
            assertTrue(second.list("findings").stream().noneMatch(x -> String.valueOf(x.get("message"))
                    .contains("in the development database")), second.toString());
            Result shown = call(s.client, "show_sql", "pending", true);
            assertEquals("catalog", shown.get("migrations.0.analysis.kind"));
            assertEquals("info", finding(shown, "migrations.0.findings", "alter-column-type").get("severity"));
            assertTrue(shown.list("migrations.1.findings").stream().noneMatch(x -> String.valueOf(x.get("message"))
                    .contains("in the development database")), shown.toString());
        }
    }

    @Test
    void withoutADatabaseTheToolsSayTheAnalysisIsStatic() throws Exception {
        java.nio.file.Files.writeString(root.resolve("safemigrate.toml"), """
                [migrations]
                dir = "db/migrations"

                [dev]
                url = "jdbc:postgresql://localhost:1/app_dev"
                user = "app"
                """);
        dev.safemigrate.config.Config config = new dev.safemigrate.config.ConfigLoader(n -> null,
                dev.safemigrate.testing.TestConfigHome.dir()).load(null, root);
        try (InProcessServer s = InProcessServer.start(config)) {
            Result r = call(s.client, "create_migration", "name", "retype", "sql",
                    "alter table users alter column email type bigint;");
            assertFalse(r.isError(), r.toString());
            assertEquals("static", r.get("analysis.kind"));
            assertNull(r.get("analysis.server_version"));
            assertTrue(((String) r.get("analysis.note")).contains("no development database reachable"), r.toString());
            assertEquals("confirm", finding(r, "findings", "alter-column-type").get("severity"));
        }
    }

    /** The analysis alone: no facts, no catalog wording; with facts, the rule reads the current type. */
    @Test
    void theAnalyzerIsStaticWithoutFacts() {
        MigrationAnalysis a = new MigrationAnalyzer().analyze("alter table users alter column email type bigint;");
        assertTrue(a.has(Severity.CONFIRM));
        assertTrue(a.findings().stream().noneMatch(f -> f.message().contains("development database")), a.toString());
    }
}
