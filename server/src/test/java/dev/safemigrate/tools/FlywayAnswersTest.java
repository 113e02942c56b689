package dev.safemigrate.tools;

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

/**
 * status and apply_to_dev share what Flyway said about the folder and the history, against a real
 * PostgreSQL: Flyway is asked once while neither changes, and asked again as soon as the history
 * or a file differs by a byte; a remembered answer passes through every check a fresh one does.
 */
class FlywayAnswersTest {

    @TempDir
    Path root;

    private static int asked(InProcessServer s) {
        return s.project.flywayAnswers().asked();
    }

    private static List<Object> pendingVersions(Result r) {
        return r.list("pending").stream().map(p -> p.get("version")).toList();
    }

    @Test
    void flywayIsAskedOnceForStatusTheDryRunAndTheApplyOfUnchangedFilesAndHistory() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("answers_once"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            assertFalse(call(s.client, "create_migration", "name", "a", "sql", "create table a (id bigint);").isError());
            assertFalse(call(s.client, "create_migration", "name", "b", "sql", "create table b (id bigint);").isError());
            assertEquals(2, ((Number) call(s.client, "status").get("summary.pending")).intValue());
            int afterStatus = asked(s);
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(2, pendingVersions(dry).size(), dry.toString());
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(2, applied.list("applied").size(), applied.toString());
            assertEquals(afterStatus, asked(s), "neither the dry run nor the apply asked Flyway again");
            assertTrue(TestDatabase.tableExists(p.database, "b"));
            // the apply changed the history: the next answer is Flyway's own
            assertEquals(2, ((Number) call(s.client, "status").get("summary.applied")).intValue());
            assertEquals(afterStatus + 1, asked(s));
        }
    }

    @Test
    void aHistoryChangedByAnotherClientIsAskedAgainBeforeTheApply() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("answers_history"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "a", "sql", "create table a (id bigint);");
            Result second = call(s.client, "create_migration", "name", "b", "sql", "create table b (id bigint);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertEquals(0, ((Number) call(s.client, "status").get("summary.pending")).intValue());
            int afterStatus = asked(s);
            // someone undoes the second migration by hand: the remembered answer ("nothing pending") is stale
            TestDatabase.executeAsSuperuser(p.database, "drop table b; delete from flyway_schema_history where version = '"
                    + second.get("version") + "'");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(List.of(second.get("version")), pendingVersions(dry), dry.toString());
            assertEquals(afterStatus + 1, asked(s));
            // the table dropped by hand is a schema changed outside safemigrate: a person says yes first
            Result drifted = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", drifted.errorCode(), drifted.toString());
            assertEquals(List.of("table public.b"), drifted.get("drift.dropped"), drifted.toString());
            assertFalse(call(s.client, "apply_to_dev", "confirm", drifted.get("confirmation_token")).isError());
            assertTrue(TestDatabase.tableExists(p.database, "b"));
        }
    }

    @Test
    void aPendingFileEditedBetweenCallsIsAskedAgainAndTheNewBytesAreWhatRuns() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("answers_edit"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "a", "sql", "create table a (id bigint);");
            call(s.client, "status");
            int afterStatus = asked(s);
            Files.writeString(root.resolve((String) created.get("path")), "create table a2 (id bigint);\n");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals(afterStatus + 1, asked(s), "other bytes, other answer");
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertTrue(TestDatabase.tableExists(p.database, "a2"));
            assertFalse(TestDatabase.tableExists(p.database, "a"));
        }
    }

    @Test
    void validationProblemsStatusWasToldStillRefuseTheApply() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("answers_invalid"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "t1", "sql", "create table t1 (id int);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            Files.writeString(root.resolve((String) created.get("path")), "create table t1 (id int, sneaky text);\n");
            call(s.client, "create_migration", "name", "t2", "sql", "create table t2 (id int);");
            assertEquals(false, call(s.client, "status").get("validation.valid"));
            int afterStatus = asked(s);
            Result apply = call(s.client, "apply_to_dev");
            assertEquals(afterStatus, asked(s), "the apply reused status's answer");
            assertEquals("CHECKSUM_MISMATCH", apply.errorCode(), apply.toString());
            assertFalse(TestDatabase.tableExists(p.database, "t2"));
        }
    }

    @Test
    void anUnadoptedSchemaStatusWasToldAboutStillRefusesTheApply() {
        String db = TestDatabase.create("answers_unadopted");
        TestDatabase.execute(db, "create table legacy (id int)");
        ProjectDir p = ProjectDir.create(root, db, "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "t1", "sql", "create table t1 (id int);");
            Result status = call(s.client, "status");
            assertTrue(String.valueOf(status.get("validation.problems")).contains("no Flyway history"), status.toString());
            int afterStatus = asked(s);
            Result apply = call(s.client, "apply_to_dev", "dry_run", true);
            assertEquals(afterStatus, asked(s), "the apply reused status's answer");
            assertEquals("VALIDATION_FAILED", apply.errorCode(), apply.toString());
            assertTrue(apply.text().contains("no Flyway history"), apply.text());
            assertFalse(TestDatabase.tableExists(db, "t1"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> findings(Map<String, Object> dryRun) {
        return ((List<Map<String, Object>>) dryRun.get("findings")).stream()
                .map(f -> f.get("rule") + " " + f.get("severity") + " " + f.get("statement") + " " + f.get("line")).toList();
    }

    /** Flyway's answer about the same files and history, from status or asked fresh, makes the same dry run. */
    @Test
    void aRememberedAnswerMakesTheSameDryRunAsAFreshOne() {
        List<Map<String, Object>> results = new java.util.ArrayList<>();
        for (boolean statusFirst : new boolean[] {false, true}) {
            Path dir = root.resolve("p" + statusFirst);
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ProjectDir p = ProjectDir.create(dir, TestDatabase.create("answers_same"), "");
            try (InProcessServer s = InProcessServer.start(p.config())) {
                call(s.client, "create_migration", "name", "a", "sql", "create table a (id bigint primary key, n text);");
                assertFalse(call(s.client, "apply_to_dev").isError());
                call(s.client, "create_migration", "name", "b", "sql",
                        "alter table a add column m text;\nupdate a set m = n;\ndrop table a;");
                if (statusFirst) {
                    call(s.client, "status");
                }
                int before = asked(s);
                Result dry = call(s.client, "apply_to_dev", "dry_run", true);
                assertFalse(dry.isError(), dry.toString());
                assertEquals(statusFirst ? before : before + 1, asked(s));
                Map<String, Object> comparable = new java.util.HashMap<>(dry.structured());
                comparable.remove("database");
                comparable.remove("trace");
                comparable.put("pending", dry.list("pending").stream().map(m -> {
                    Map<String, Object> copy = new java.util.HashMap<>(m);
                    copy.remove("version");
                    copy.remove("path");
                    return copy;
                }).toList());
                results.add(comparable);
            }
        }
        assertEquals(results.get(0).keySet(), results.get(1).keySet());
        assertEquals(String.valueOf(results.get(0).get("pending")), String.valueOf(results.get(1).get("pending")));
        assertEquals(findings(results.get(0)), findings(results.get(1)));
    }
}
