package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * A hostile agent that writes files into the project folder, against the built jar over stdio
 * and a real PostgreSQL: whatever it puts beside the migrations, swaps after approval or hides in
 * a link, nothing runs that was not analysed, and the harmful effect is checked not to happen.
 */
@Timeout(300)
class AdversarialFolderIT {

    @TempDir
    Path root;

    private McpSyncClient server(ProjectDir p, Consumer<McpClient.SyncSpec> setup) {
        return JarServer.start(root, new ArrayList<>(), setup, "serve", "--config", p.configFile().toString());
    }

    private ProjectDir project(String name, String extraToml) {
        return ProjectDir.create(root, TestDatabase.create(name), extraToml);
    }

    /** A users table with rows, created the way a project's history would: through an applied migration. */
    private static void withUsers(McpSyncClient client, ProjectDir p, String... moreTables) {
        StringBuilder sql = new StringBuilder("create table users (id bigint primary key, email text);\n");
        for (String t : moreTables) {
            sql.append("create table ").append(t).append(" (id bigint);\n");
        }
        Result created = call(client, "create_migration", "name", "users", "sql", sql.toString());
        assertFalse(created.isError(), created.toString());
        Result applied = call(client, "apply_to_dev");
        assertFalse(applied.isError(), applied.toString());
        TestDatabase.execute(p.database, "insert into users select g, 'u' || g from generate_series(1, 5) g");
        for (String t : moreTables) {
            // rows, so that dropping the table puts data at risk here and the gate asks
            TestDatabase.execute(p.database, "insert into " + t + " values (1)");
        }
    }

    @Test
    void scriptMigrationsCallbacksAndForeignConfNeverRun() throws Exception {
        ProjectDir p = project("adv_scripts", "");
        Path marker = root.resolve("script-ran");
        McpSyncClient client = server(p, s -> { });
        try {
            withUsers(client, p);
            assertFalse(call(client, "create_migration", "name", "t1", "sql", "create table t1 (id bigint);").isError());
            Files.writeString(p.migrations().resolve("V99999999999990__x.sh"), "#!/bin/sh\ntouch " + marker + "\n");
            Files.writeString(p.migrations().resolve("V99999999999991__y.py"), "open('" + marker + "','w')\n");
            Files.writeString(p.migrations().resolve("afterMigrate.sql"), "drop table users;\n");
            Files.writeString(p.migrations().resolve("R__evil.sql"), "drop table users;\n");

            Result refused = call(client, "apply_to_dev");
            assertEquals("VALIDATION_FAILED", refused.errorCode(), refused.toString());
            String message = (String) refused.get("error.message");
            for (String name : List.of("V99999999999990__x.sh", "V99999999999991__y.py", "afterMigrate.sql", "R__evil.sql")) {
                assertTrue(message.contains(name), "names " + name + ": " + message);
            }
            assertTrue(((String) refused.get("error.hint")).contains("a person must remove"), refused.toString());
            assertEquals("VALIDATION_FAILED", call(client, "apply_to_dev", "dry_run", true).errorCode());
            assertFalse(Files.exists(marker), "no script ran");
            assertTrue(TestDatabase.tableExists(p.database, "users"));
            assertFalse(TestDatabase.tableExists(p.database, "t1"), "nothing was applied");
            Result status = call(client, "status");
            assertEquals(false, status.get("validation.valid"));

            for (String name : List.of("V99999999999990__x.sh", "V99999999999991__y.py", "afterMigrate.sql", "R__evil.sql")) {
                Files.delete(p.migrations().resolve(name));
            }
            Path sql = root.resolve((String) call(client, "show_sql", "pending", true).get("migrations.0.path"));
            // a .conf that would change how Flyway reads the file, written by someone other than safemigrate
            Files.writeString(sql.resolveSibling(sql.getFileName() + ".conf"), "encoding=UTF-16BE\n");
            Result conf = call(client, "apply_to_dev");
            assertEquals("VALIDATION_FAILED", conf.errorCode(), conf.toString());
            assertTrue(((String) conf.get("error.message")).contains(".sql.conf"), conf.toString());
            Files.delete(sql.resolveSibling(sql.getFileName() + ".conf"));

            Result applied = call(client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertTrue(TestDatabase.tableExists(p.database, "t1"));
            assertTrue(TestDatabase.tableExists(p.database, "users"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void symlinkedFolderOrFileIsRefusedAndItsSqlNeverRuns() throws Exception {
        ProjectDir p = project("adv_links", "");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("V99999999999999__drop.sql"), "drop table users;\n");
        McpSyncClient client = server(p, s -> { });
        try {
            withUsers(client, p);
            assertFalse(call(client, "create_migration", "name", "t1", "sql", "create table t1 (id bigint);").isError());
            Files.createSymbolicLink(p.migrations().resolve("more"), outside);
            Result folder = call(client, "apply_to_dev");
            assertEquals("VALIDATION_FAILED", folder.errorCode(), folder.toString());
            assertTrue(((String) folder.get("error.message")).contains("db/migrations/more"), folder.toString());
            Files.delete(p.migrations().resolve("more"));

            Files.createSymbolicLink(p.migrations().resolve("V99999999999998__linked.sql"),
                    outside.resolve("V99999999999999__drop.sql"));
            Result file = call(client, "apply_to_dev", "dry_run", true);
            assertEquals("VALIDATION_FAILED", file.errorCode(), file.toString());
            assertTrue(((String) file.get("error.message")).contains("V99999999999998__linked.sql"), file.toString());
            assertTrue(TestDatabase.tableExists(p.database, "users"));
            assertFalse(TestDatabase.tableExists(p.database, "t1"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aTokenNeverCoversAFileSwappedAfterTheConfirmation() throws Exception {
        ProjectDir p = project("adv_swap_token", "");
        McpSyncClient client = server(p, s -> { });
        try {
            withUsers(client, p, "scratch");
            Result created = call(client, "create_migration", "name", "drop_scratch", "sql", "drop table scratch;");
            assertFalse(created.isError(), created.toString());
            Result asked = call(client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", asked.errorCode(), asked.toString());
            String token = (String) asked.get("confirmation_token");
            // the person said yes to dropping scratch; the agent now swaps the file for a drop of users
            Files.writeString(root.resolve((String) created.get("path")), "drop table users;\n");
            Result swapped = call(client, "apply_to_dev", "confirm", token);
            assertEquals("CONFIRMATION_REQUIRED", swapped.errorCode(), swapped.toString());
            assertTrue(TestDatabase.tableExists(p.database, "users"), "the swapped file did not run");
            assertTrue(TestDatabase.tableExists(p.database, "scratch"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aFileSwappedWhileThePersonIsAskedIsRefusedAndNeverRuns() throws Exception {
        ProjectDir p = project("adv_swap_human", "\n[policy]\ndestructive = \"human\"\n");
        Path[] file = new Path[1];
        List<String> questions = new ArrayList<>();
        McpSyncClient client = server(p, spec -> spec.elicitation(req -> {
            questions.add(req.message());
            try {
                // while the person reads the question about scratch, the agent rewrites the migration
                Files.writeString(file[0], "drop table users;\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true));
        }));
        try {
            withUsers(client, p, "scratch");
            Result created = call(client, "create_migration", "name", "drop_scratch", "sql", "drop table scratch;");
            file[0] = root.resolve((String) created.get("path"));
            Result r = call(client, "apply_to_dev");
            assertEquals(1, questions.size(), "the person was asked");
            assertTrue(questions.get(0).contains("scratch"), questions.get(0));
            assertEquals("VALIDATION_FAILED", r.errorCode(), r.toString());
            assertTrue(((String) r.get("error.message")).contains("was changed"), r.toString());
            assertTrue(TestDatabase.tableExists(p.database, "users"), "the swapped SQL never ran");
            assertTrue(TestDatabase.tableExists(p.database, "scratch"), "nothing was applied after the change");
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void migrationsInSubfoldersAndDottedVersionsKeepTheirState() throws Exception {
        ProjectDir p = project("adv_state", "");
        Path sub = Files.createDirectories(p.migrations().resolve("sub"));
        Files.writeString(sub.resolve("V1__a.sql"), "create table a (id bigint);\n");
        Files.writeString(p.migrations().resolve("V1_1__keep.sql"), "create table keep (id bigint);\n");
        McpSyncClient client = server(p, s -> { });
        try {
            Result applied = call(client, "apply_to_dev");
            assertEquals(2, applied.list("applied").size(), applied.toString());
            assertEquals(0, call(client, "show_sql", "pending", true).list("migrations").size(),
                    "an applied file in a subfolder is not pending");
            Result dry = call(client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertTrue(dry.text().contains("Nothing pending"), dry.text());
            assertEquals("applied", call(client, "show_sql", "version", "1").get("migrations.0.state"));

            Result replace = call(client, "create_migration", "name", "keep2", "sql", "select 1;", "replaces", "1_1");
            assertEquals("MIGRATION_APPLIED", replace.errorCode(), replace.toString());
            assertTrue(Files.exists(p.migrations().resolve("V1_1__keep.sql")), "an applied file is never deleted");
            assertEquals(2, call(client, "status").get("summary.applied"));
            assertEquals(true, call(client, "status").get("validation.valid"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void anExistingDatabaseWithoutHistoryIsRefusedByTheDryRunAsByTheApply() throws Exception {
        ProjectDir p = project("adv_adopt", "");
        TestDatabase.execute(p.database, "create table legacy (id bigint)");
        McpSyncClient client = server(p, s -> { });
        try {
            assertFalse(call(client, "create_migration", "name", "t1", "sql", "create table t1 (id bigint);").isError());
            Result status = call(client, "status");
            assertEquals(false, status.get("validation.valid"), status.toString());
            assertTrue(status.toString().contains("no Flyway history"), status.toString());
            for (boolean dryRun : new boolean[] {true, false}) {
                Result r = call(client, "apply_to_dev", "dry_run", dryRun);
                assertEquals("VALIDATION_FAILED", r.errorCode(), r.toString());
                String hint = (String) r.get("error.hint");
                assertTrue(hint.contains("safemigrate baseline") && hint.contains("A person"), hint);
                assertFalse(hint.contains("create_migration"), "the migration is not to blame: " + hint);
            }
            assertFalse(TestDatabase.tableExists(p.database, "t1"));
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * pgjdbc sends {@code ??} as {@code ?}: analysed, {@code ??} is an operator no table has; run,
     * the jsonb key test is true and the update reaches every row. Written by the tool or dropped
     * into the folder, such a statement never runs.
     */
    @Test
    void aDoubledQuestionMarkPgjdbcWouldRewriteNeverRuns() throws Exception {
        ProjectDir p = project("adv_qq", "");
        String sneaky = "update users set email = 'gone' where '{\"a\":1}'::jsonb ?? 'a';\n";
        McpSyncClient client = server(p, spec -> { });
        try {
            withUsers(client, p);
            Result created = call(client, "create_migration", "name", "sneaky", "sql", sneaky);
            assertEquals("SQL_REJECTED", created.errorCode(), created.toString());
            Files.writeString(p.migrations().resolve("V99990101000000__sneaky.sql"), sneaky);
            Result dry = call(client, "apply_to_dev", "dry_run", true);
            Result apply = call(client, "apply_to_dev");
            assertTrue(apply.isError(), apply.toString());
            assertTrue(apply.toString().contains("statement-boundary-mismatch") || dry.toString()
                    .contains("statement-boundary-mismatch"), dry + " / " + apply);
        } finally {
            client.closeGracefully();
        }
        assertEquals(0, TestDatabase.queryLong(p.database, "select count(*) from users where email = 'gone'"));
        assertEquals(5, TestDatabase.queryLong(p.database, "select count(*) from users"));
    }

    /**
     * An agent that can write safemigrate.toml asks pgjdbc for the simple query protocol, under
     * which PostgreSQL runs every statement a text holds, where the extended protocol refuses a
     * second one. The server must not start on it: no tool answers, nothing reaches the database.
     */
    @Test
    void aQueryModeThatRunsSeveralStatementsAtOnceStopsTheServerBeforeAnyToolRuns() throws Exception {
        String db = TestDatabase.create("adv_query_mode");
        TestDatabase.execute(db, "create table users (id int primary key); insert into users values (1), (2), (3)");
        ProjectDir p = ProjectDir.create(root, db, "");
        Files.writeString(p.configFile(), Files.readString(p.configFile())
                .replace(TestDatabase.url(db), TestDatabase.url(db) + "?ApplicationName=x&prefer%51ueryMode=Simple"));
        Files.createDirectories(p.migrations());
        Files.writeString(p.migrations().resolve("V1__two_at_once.sql"), "insert into users values (4); drop table users;\n");
        Process proc = new ProcessBuilder(JarServer.command("serve", "--config", p.configFile().toString()))
                .directory(root.toFile()).start();
        try (java.io.OutputStream in = proc.getOutputStream()) {
            for (String line : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"apply_to_dev\",\"arguments\":{}}}")) {
                in.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                in.flush();
            }
        } catch (java.io.IOException serverAlreadyGone) {
            // the process may have exited before reading stdin: that is the behaviour under test
        }
        String stdout = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String stderr = new String(proc.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, proc.exitValue(), stderr);
        assertEquals("", stdout, "no tool may answer on such a configuration");
        assertTrue(stderr.contains("'dev.url'") && stderr.contains("remove the parameter"), stderr);
        assertEquals(3, TestDatabase.queryLong(db, "select count(*) from users"));
        assertFalse(TestDatabase.tableExists(db, "flyway_schema_history"));
    }
}
