package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * A schema changed outside safemigrate (DDL typed into psql, prisma db push) between two applies is
 * reported by status and apply_to_dev by name, and the next apply asks a person first; a schema
 * as safemigrate left it asks nothing.
 */
class SchemaDriftTest {

    @TempDir
    Path root;

    private ProjectDir project;

    /** Tables users(id, email) and old(id) applied through safemigrate, 3 rows in users. */
    private InProcessServer applied(String prefix, String policy,
                                    java.util.function.Consumer<io.modelcontextprotocol.client.McpClient.SyncSpec> client) {
        project = ProjectDir.create(root, TestDatabase.create(prefix), policy);
        InProcessServer s = InProcessServer.start(project.config(), client);
        call(s.client, "create_migration", "name", "base", "sql",
                "create table users (id bigint primary key, email text);\ncreate table old (id int);");
        Result first = call(s.client, "apply_to_dev");
        assertFalse(first.isError(), first.toString());
        assertEquals("no_baseline", first.get("drift.state"), "before the first apply there was nothing to compare with");
        assertNotNull(first.get("drift.recorded"), "the first apply records the baseline: " + first);
        return s;
    }

    private InProcessServer applied(String prefix) {
        return applied(prefix, "", spec -> {});
    }

    /** What a person or another tool might run by hand against the dev database. */
    private void ddlOutside() {
        TestDatabase.execute(project.database, "create table audit (id bigint primary key, what text); "
                + "alter table users add column nick text; alter table users alter column email type varchar(80); "
                + "drop table old");
    }

    private boolean tableExists(String table) {
        return TestDatabase.tableExists(project.database, table);
    }

    @Test
    void theFirstStatusOfAProjectHasNoBaselineYet() {
        project = ProjectDir.create(root, TestDatabase.create("drift_none_yet"), "");
        TestDatabase.execute(project.database, "create table legacy (id int)");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertEquals("no_baseline", status.get("drift.state"), status.toString());
            assertTrue(((String) status.get("drift.note")).startsWith("no baseline yet"), status.toString());
            assertNull(status.get("drift.counts"));
        }
    }

    @Test
    void ddlOutsideIsReportedByNameAndTheApplyAsksBeforeRunningOnIt() throws Exception {
        try (InProcessServer s = applied("drift_ddl")) {
            assertEquals("none", call(s.client, "status").get("drift.state"));
            Path record = project.config().keys().file("schema-record.json");
            assertTrue(Files.isRegularFile(record), "the record is kept in the key folder, outside the project");
            assertFalse(record.startsWith(project.root));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));

            ddlOutside();
            TestDatabase.execute(project.database, "insert into users values (1, 'a@example.com', 'a')");

            Result status = call(s.client, "status");
            assertFalse(status.isError(), status.toString());
            assertEquals("changed", status.get("drift.state"), status.toString());
            assertEquals(List.of("column public.users.nick", "index public.audit_pkey", "table public.audit"),
                    status.get("drift.created"));
            assertEquals(List.of("table public.old"), status.get("drift.dropped"));
            assertEquals(List.of("column public.users.email"), status.get("drift.altered"));
            assertEquals(Map.of("created", 3, "dropped", 1, "altered", 1), status.get("drift.counts"));
            assertTrue(((String) status.get("drift.likely_cause")).startsWith("DDL run outside safemigrate"), status.toString());
            assertTrue(((String) status.get("next")).contains("drift"), status.get("next").toString());
            assertTrue(status.text().contains("Drift: 5 object(s) changed outside safemigrate"), status.text());
            Result page = call(s.client, "status", "list", "drift");
            assertEquals(List.of("created column public.users.nick", "created index public.audit_pkey",
                    "created table public.audit", "dropped table public.old", "altered column public.users.email"),
                    page.get("drift"));

            call(s.client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals("changed", dry.get("drift.state"));
            assertEquals(List.of("table public.old"), dry.get("drift.dropped"));
            Map<String, Object> risk = dry.list("at_risk").get(0);
            assertTrue(((String) risk.get("id")).startsWith("drift/"), risk.toString());
            assertTrue(((String) risk.get("what")).startsWith("5 object(s) changed outside safemigrate"), risk.toString());
            assertNull(risk.get("migration"));

            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            assertEquals("changed", refused.get("drift.state"), "the refusal shows what changed: " + refused);
            assertTrue(((String) refused.get("error.message")).contains("changed outside safemigrate"), refused.toString());
            assertFalse(tableExists("orders"), "nothing applied before the yes");

            Result applied = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertFalse(applied.isError(), applied.toString());
            assertTrue(tableExists("orders"));
            assertNotNull(applied.get("drift.recorded"), "the confirmed apply records the schema as it is now");

            Result after = call(s.client, "status");
            assertEquals("none", after.get("drift.state"), after.toString());
            call(s.client, "create_migration", "name", "more", "sql", "create table more (id int);");
            Result next = call(s.client, "apply_to_dev");
            assertFalse(next.isError(), "a schema as safemigrate left it asks nothing: " + next);
            assertEquals(List.of(), next.list("at_risk"));
        }
    }

    @Test
    void aSchemaAsLeftAndDataChangedOutsideAreNotAskedAbout() {
        try (InProcessServer s = applied("drift_data")) {
            TestDatabase.execute(project.database, "insert into users select g, 'u' || g from generate_series(1, 50) g; "
                    + "delete from users where id < 10; truncate old; analyze users");
            Result status = call(s.client, "status");
            assertEquals("none", status.get("drift.state"), "inserts, deletes, truncate and analyze are data, not schema: "
                    + status);
            call(s.client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals("none", applied.get("drift.state"));
            assertTrue(tableExists("orders"));
        }
    }

    @Test
    void aTokenForOneDriftDoesNotCoverMoreDriftAfterIt() {
        try (InProcessServer s = applied("drift_more")) {
            ddlOutside();
            call(s.client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode());
            TestDatabase.execute(project.database, "create table sneaked_in (id int)");
            Result again = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertEquals("CONFIRMATION_REQUIRED", again.errorCode(), again.toString());
            assertTrue(((List<?>) again.get("drift.created")).contains("table public.sneaked_in"), again.toString());
            assertFalse(tableExists("orders"));
        }
    }

    @Test
    void withNothingPendingTheApplyAsksToAcceptTheSchemaAsTheBaseline() {
        try (InProcessServer s = applied("drift_accept")) {
            ddlOutside();
            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertFalse(dry.isError(), dry.toString());
            assertEquals("changed", dry.get("drift.state"));
            assertEquals(1, dry.list("at_risk").size());

            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode(), refused.toString());
            assertEquals("changed", call(s.client, "status").get("drift.state"), "not accepted without the yes");

            Result accepted = call(s.client, "apply_to_dev", "confirm", refused.get("confirmation_token"));
            assertFalse(accepted.isError(), accepted.toString());
            assertNotNull(accepted.get("drift.recorded"));
            assertEquals("none", call(s.client, "status").get("drift.state"));
        }
    }

    @Test
    void policyHumanAsksThePersonAboutTheDriftAndADeclineAppliesNothing() {
        List<McpSchema.ElicitFormRequest> asked = new ArrayList<>();
        boolean[] approve = {false};
        try (InProcessServer s = applied("drift_human", "\n[policy]\ndestructive = \"human\"\n",
                spec -> spec.elicitation(req -> {
                    asked.add(req);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", approve[0]));
                }))) {
            assertEquals(List.of(), asked, "the first apply asks nothing");
            ddlOutside();
            call(s.client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result declined = call(s.client, "apply_to_dev");
            assertEquals("POLICY_REFUSED", declined.errorCode(), declined.toString());
            assertFalse(tableExists("orders"));
            assertEquals(1, asked.size());
            assertTrue(asked.get(0).message().contains("changed outside safemigrate")
                    && asked.get(0).message().contains("table public.old"), asked.get(0).message());

            approve[0] = true;
            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertTrue(tableExists("orders"));
            assertEquals(2, asked.size());
            call(s.client, "create_migration", "name", "more", "sql", "create table more (id int);");
            assertFalse(call(s.client, "apply_to_dev").isError());
            assertEquals(2, asked.size(), "a schema as safemigrate left it is not asked about");
        }
    }

    @Test
    void theRecordOfAnotherDatabaseIsNoBaselineForThisOne() throws Exception {
        try (InProcessServer s = applied("drift_first_db")) {
            assertEquals("none", call(s.client, "status").get("drift.state"));
        }
        String other = TestDatabase.create("drift_other_db");
        Files.writeString(project.configFile(), Files.readString(project.configFile())
                .replace(TestDatabase.url(project.database), TestDatabase.url(other)));
        TestDatabase.execute(other, "create table unrelated (id int)");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result status = call(s.client, "status");
            assertEquals("no_baseline", status.get("drift.state"), status.toString());
            assertTrue(((String) status.get("drift.note")).contains("the record is of localhost:"), status.toString());
        }
    }

    @Test
    void prismaMigrateIsNamedAsTheLikelyCause() {
        try (InProcessServer s = applied("drift_prisma")) {
            TestDatabase.execute(project.database, """
                    create table _prisma_migrations (id varchar(36) primary key, checksum varchar(64) not null,
                      finished_at timestamptz, migration_name varchar(255) not null, logs text, rolled_back_at timestamptz,
                      started_at timestamptz not null default now(), applied_steps_count integer not null default 0);
                    insert into _prisma_migrations (id, checksum, migration_name) values ('1', 'x', '20261201_init');
                    create table "Post" (id serial primary key);
                    """);
            Result status = call(s.client, "status");
            assertTrue(((String) status.get("drift.likely_cause")).startsWith("prisma migrate"), status.toString());
            assertTrue(((List<?>) status.get("drift.created")).contains("table public.Post"), status.toString());
        }
    }

    @Test
    void aLargeDriftFitsTheBudgetAndPagesEveryName() {
        try (InProcessServer s = applied("drift_large")) {
            TestDatabase.execute(project.database, "do $$ begin for i in 1..300 loop "
                    + "execute format('create table outside_table_with_a_long_name_%s (id int)', i); end loop; end $$");
            Result status = call(s.client, "status");
            assertTrue(dev.safemigrate.tools.ResultJson.length(status.structured()) <= 8_000);
            assertEquals(300, ((Map<?, ?>) status.get("drift.counts")).get("created"));
            int shown = ((List<?>) status.get("drift.created")).size();
            assertTrue(shown > 0 && shown < 300, "shown " + shown);
            String how = (String) findCut(status, "drift").get("how");
            assertEquals("status {\"list\":\"drift\"}", how);
            List<Object> all = new ArrayList<>();
            Result page = call(s.client, "status", "list", "drift");
            while (true) {
                all.addAll((List<?>) page.get("drift"));
                if (page.get("truncated") == null) {
                    break;
                }
                page = call(s.client, "status", "list", "drift", "offset", all.size());
            }
            assertEquals(300, all.size());
            assertEquals(300, new java.util.HashSet<>(all).size(), "each name once");

            call(s.client, "create_migration", "name", "orders", "sql", "create table orders (id bigint primary key);");
            Result refused = call(s.client, "apply_to_dev");
            assertEquals("CONFIRMATION_REQUIRED", refused.errorCode());
            assertTrue(dev.safemigrate.tools.ResultJson.length(refused.structured()) <= 8_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> findCut(Result r, String of) {
        Map<String, Object> t = (Map<String, Object>) r.get("truncated");
        assertNotNull(t, r.toString());
        if (of.equals(t.get("of"))) {
            return t;
        }
        return ((List<Map<String, Object>>) t.get("also")).stream().filter(a -> of.equals(a.get("of"))).findFirst()
                .orElseThrow();
    }
}
