package dev.safemigrate.cli;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * Settings a person approved, and only those, let the server write: every policy setting, the URL
 * and the user edited in safemigrate.toml refuse apply_to_dev and backup, with nothing done to any
 * database, until a person approves them at a terminal with {@code safemigrate trust}.
 */
class TrustCommandTest {

    /** Stricter than the defaults where it can be, so each edit below loosens something. */
    private static final String STRICT = """

            [policy]
            allow_hosts = ["localhost"]
            deny_patterns = ["prod", "production", "live", "staging"]
            destructive = "refuse"
            lock_timeout = "2s"
            statement_timeout = "1min"

            [audit]
            log = ".safemigrate/audit.jsonl"
            """;
    private static final String SECRET = "dotenv-secret-4417";

    @TempDir
    Path root;

    private ProjectDir approvedProject(String db) throws Exception {
        ProjectDir p = ProjectDir.create(root, db, STRICT);
        edit(p, "[dev]\n", "[dev]\nexpect_database = \"" + db + "\"\n");
        return p.approve();
    }

    private static void edit(ProjectDir p, String from, String to) throws Exception {
        String toml = Files.readString(p.configFile());
        assertTrue(toml.contains(from), from + " in\n" + toml);
        Files.writeString(p.configFile(), toml.replace(from, to));
    }

    /** One edit an agent could make to the file, and the setting the refusal must name. */
    @FunctionalInterface
    interface Edit {
        void apply(ProjectDir p, Path root) throws Exception;
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("policy.allow_hosts", (Edit) (p, r) -> edit(p, "allow_hosts = [\"localhost\"]",
                        "allow_hosts = [\"localhost\", \"db.prod.internal\"]")),
                Arguments.of("policy.deny_patterns", (Edit) (p, r) -> edit(p,
                        "deny_patterns = [\"prod\", \"production\", \"live\", \"staging\"]", "deny_patterns = []")),
                Arguments.of("policy.destructive", (Edit) (p, r) -> edit(p, "destructive = \"refuse\"",
                        "destructive = \"confirm\"")),
                Arguments.of("policy.backup_before_apply", (Edit) (p, r) -> edit(p, "[policy]\n",
                        "[policy]\nbackup_before_apply = \"never\"\n")),
                Arguments.of("policy.lock_timeout", (Edit) (p, r) -> edit(p, "lock_timeout = \"2s\"", "lock_timeout = \"1h\"")),
                Arguments.of("policy.statement_timeout", (Edit) (p, r) -> edit(p, "statement_timeout = \"1min\"",
                        "statement_timeout = \"10h\"")),
                Arguments.of("policy.allow_privileged_role", (Edit) (p, r) -> edit(p, "[policy]\n",
                        "[policy]\nallow_privileged_role = true\n")),
                Arguments.of("dev.expect_database", (Edit) (p, r) -> edit(p, "expect_database = \"" + p.database + "\"\n", "")),
                Arguments.of("migrations.dir", (Edit) (p, r) -> edit(p, "dir = \"db/migrations\"", "dir = \"db/elsewhere\"")),
                Arguments.of("backup.dir", (Edit) (p, r) -> edit(p, "dir = \".safemigrate/backups\"", "dir = \"elsewhere/backups\"")),
                Arguments.of("backup.keep", (Edit) (p, r) -> edit(p, "keep = 3", "keep = 1000")),
                Arguments.of("backup.pg_dump", (Edit) (p, r) -> {
                    Path script = Files.writeString(r.resolve("pg_dump.sh"), "#!/bin/sh\necho ran > " + r.resolve("program-ran")
                            + "\nexit 1\n");
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
                    edit(p, "keep = 3", "keep = 3\npg_dump = \"" + script + "\"");
                }),
                Arguments.of("audit.log", (Edit) (p, r) -> edit(p, "log = \".safemigrate/audit.jsonl\"",
                        "log = \"elsewhere/audit.jsonl\"")),
                Arguments.of("dev.url", (Edit) (p, r) -> {
                    String other = TestDatabase.create("trust_other");
                    edit(p, TestDatabase.url(p.database), TestDatabase.url(other));
                    edit(p, "expect_database = \"" + p.database + "\"", "expect_database = \"" + other + "\"");
                    Files.writeString(r.resolve("other-database"), other);
                }),
                Arguments.of("dev.user", (Edit) (p, r) -> edit(p, "user = \"" + TestDatabase.APP_ROLE + "\"",
                        "user = \"" + TestDatabase.SUPERUSER + "\"")),
                Arguments.of("dev.password", (Edit) (p, r) -> {
                    Files.writeString(r.resolve(".env.local"), "PW=" + SECRET + "\n");
                    edit(p, "[dev]\n", "[dev]\npassword = \"${dotenv:.env.local:PW}\"\n");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anEditedSettingRefusesApplyAndBackupUntilAPersonApprovesIt(String setting, Edit change) throws Exception {
        String db = TestDatabase.create("trust_edit");
        ProjectDir p = approvedProject(db);
        change.apply(p, root);
        Path otherMarker = root.resolve("other-database");
        String other = Files.exists(otherMarker) ? Files.readString(otherMarker) : null;

        try (InProcessServer s = InProcessServer.start(p.config())) {
            Result created = call(s.client, "create_migration", "name", "trusted_t", "sql", "create table trusted_t (id int);");
            assertFalse(created.isError(), "create_migration writes only a file in the project: " + created);

            for (Result refused : List.of(call(s.client, "apply_to_dev"), call(s.client, "apply_to_dev", "dry_run", true),
                    call(s.client, "backup"))) {
                assertEquals("CONFIG_NOT_TRUSTED", refused.errorCode(), refused.toString());
                String message = (String) refused.get("error.message");
                assertTrue(message.contains(setting + ": "), setting + " named in: " + message);
                assertTrue(message.contains(" → "), message);
                assertTrue(((String) refused.get("error.hint")).contains("safemigrate trust --config " + p.configFile()),
                        refused.toString());
                assertFalse(refused.toString().contains(SECRET), "a secret is shown as its reference only: " + refused);
            }
            assertFalse(TestDatabase.tableExists(db, "trusted_t"), "nothing was applied");
            assertFalse(TestDatabase.tableExists(db, "flyway_schema_history"), "not even Flyway's history was created");
            if (other != null) {
                assertFalse(TestDatabase.tableExists(other, "trusted_t"), "nothing was applied to the database the edit names");
                assertFalse(TestDatabase.tableExists(other, "flyway_schema_history"));
            }
            assertEquals(List.of(), p.backupFiles(), "no backup was written");
            assertFalse(Files.exists(root.resolve("elsewhere/backups")), "nor where the edit points");
            assertFalse(Files.exists(root.resolve("program-ran")), "the program the edit names never ran");

            Result status = call(s.client, "status");
            assertEquals("changed", status.get("trust.state"), status.toString());
            assertTrue(status.list("trust.changed").toString().contains(setting), status.toString());
            assertTrue(((String) status.get("next")).startsWith("apply_to_dev and backup refuse (CONFIG_NOT_TRUSTED)"),
                    status.toString());

            ScriptedTerminal person = new ScriptedTerminal("y");
            CommandRun trusted = CommandRun.of(new TrustCommand(), root, person);
            assertEquals(0, trusted.exit(), trusted.toString());
            assertTrue(trusted.out().contains("Changed since a-person approved them at"), trusted.out());
            assertTrue(trusted.out().contains("\n  " + setting + ": "), trusted.out());
            assertFalse(trusted.out().contains(SECRET), trusted.out());

            Result after = call(s.client, "apply_to_dev");
            assertNotEquals("CONFIG_NOT_TRUSTED", after.errorCode(), "approved at the terminal: " + after);
            assertEquals("trusted", call(s.client, "status").get("trust.state"));
        }
    }

    @Test
    void approvedWritesWorkAgainAfterTheQuestionShowedIdentitySettingsAndWhatChanged() throws Exception {
        String db = TestDatabase.create("trust_yes");
        ProjectDir p = approvedProject(db);
        Path record = TrustRecord.file(p.config());
        edit(p, "allow_hosts = [\"localhost\"]", "allow_hosts = [\"localhost\", \"db.dev.internal\"]");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            call(s.client, "create_migration", "name", "trusted_t", "sql", "create table trusted_t (id int);");
            assertEquals("CONFIG_NOT_TRUSTED", call(s.client, "apply_to_dev").errorCode());

            ScriptedTerminal person = new ScriptedTerminal("y");
            CommandRun r = CommandRun.of(new TrustCommand(), root, person);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith("Database     " + db + " on localhost"), r.out());
            assertTrue(r.out().contains("Verdict      VERIFIED development database"), r.out());
            assertTrue(r.out().contains(String.format("%n  %-30s%s%n", "policy.allow_hosts", "[\"localhost\",\"db.dev.internal\"]")),
                    r.out());
            assertTrue(r.out().contains(String.format("%n  %-30s%s%n", "dev.database", db)), r.out());
            assertTrue(r.out().contains("policy.allow_hosts: [\"localhost\"] → [\"localhost\",\"db.dev.internal\"]"), r.out());
            assertEquals(1, person.prompts.size());
            assertTrue(person.prompts.get(0).contains("Approve these settings"), person.prompts.get(0));

            TrustRecord approval = TrustRecord.read(p.config()).orElseThrow();
            assertEquals(p.config().policySettings(), approval.settings());
            assertEquals(System.getProperty("user.name"), approval.approvedBy());
            assertEquals(CommandRun.CLOCK.instant(), approval.approvedAt());
            assertFalse(record.startsWith(root), "outside the project: " + record);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
            List<AuditEntry> audit = PersonAudit.lines(root);
            assertEquals("trust", audit.get(audit.size() - 1).tool());
            assertEquals(List.of("policy.allow_hosts"), audit.get(audit.size() - 1).summary().get("changed"));

            assertFalse(call(s.client, "apply_to_dev").isError());
            assertTrue(TestDatabase.tableExists(db, "trusted_t"));
            assertFalse(call(s.client, "backup").isError());
        }
        ScriptedTerminal again = new ScriptedTerminal();
        CommandRun unchanged = CommandRun.of(new TrustCommand(), root, again);
        assertEquals(0, unchanged.exit());
        assertTrue(unchanged.out().contains("unchanged since"), unchanged.out());
        assertTrue(again.prompts.isEmpty(), "nothing to ask");
        CommandRun status = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertTrue(status.out().contains("Approved     yes, by " + System.getProperty("user.name")), status.out());
    }

    @Test
    void withoutATerminalItRefusesAndRecordsNothing() throws Exception {
        ProjectDir p = approvedProject(TestDatabase.create("trust_noterm"));
        String before = Files.readString(TrustRecord.file(p.config()));
        edit(p, "deny_patterns = [\"prod\", \"production\", \"live\", \"staging\"]", "deny_patterns = []");
        CommandRun r = CommandRun.of(new TrustCommand(), root, Terminal.NONE);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("safemigrate trust: refusing: stdin is not a terminal"), r.err());
        assertTrue(r.err().contains("Nothing was recorded"), r.err());
        assertEquals(before, Files.readString(TrustRecord.file(p.config())));
        CommandRun status = CommandRun.of(new StatusCommand(), root, Terminal.NONE);
        assertTrue(status.out().contains("Approved     NO: changed since a-person approved"), status.out());
        assertTrue(status.out().contains("not approved: policy.deny_patterns"), status.out());
    }

    @Test
    void anythingButYesRecordsNothing() throws Exception {
        ProjectDir p = approvedProject(TestDatabase.create("trust_no"));
        String before = Files.readString(TrustRecord.file(p.config()));
        edit(p, "destructive = \"refuse\"", "destructive = \"confirm\"");
        for (String answer : new String[] {"n", "", "yess", null}) {
            CommandRun r = CommandRun.of(new TrustCommand(), root, answer == null ? new ScriptedTerminal() : new ScriptedTerminal(answer));
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.out().contains("Nothing recorded"), r.out());
            assertEquals(before, Files.readString(TrustRecord.file(p.config())));
        }
    }

    @Test
    void aValueTheAgentWroteReachesTheTerminalOnlyEscaped() throws Exception {
        ProjectDir p = approvedProject(TestDatabase.create("trust_escape"));
        edit(p, "allow_hosts = [\"localhost\"]", "allow_hosts = [\"localhost\", \"x\\u001b[1A\\u001b[2K\\rdb.dev\\u202e\"]");
        edit(p, "keep = 3", "keep = 3\npg_dump = \"pg_dump\\u001b[1A\\u001b[2K\\r  backup.pg_dump  pg_dump\\u009b\"");
        CommandRun r = CommandRun.of(new TrustCommand(), root, new ScriptedTerminal("n"));
        assertFalse(r.out().matches("(?s).*[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202e].*"), r.out());
        assertTrue(r.out().contains("pg_dump\\u001b[1A\\u001b[2K\\u000d  backup.pg_dump  pg_dump\\u009b"), r.out());
        assertTrue(r.out().contains("db.dev\\u202e"), r.out());
    }

    @Test
    void initAtATerminalAsksTheSameQuestionAndWithoutOneSaysWhoMust() throws Exception {
        String db = TestDatabase.create("trust_init");
        Files.writeString(root.resolve("safemigrate.toml"), "[dev]\nurl = \"" + TestDatabase.url(db) + "\"\nuser = \""
                + TestDatabase.APP_ROLE + "\"\n");
        Path jar = Files.writeString(Files.createDirectories(root.resolve("install")).resolve("safemigrate.jar"), "x");

        CommandRun agent = CommandRun.of(new InitCommand(), root, Terminal.NONE, "--jar", jar.toString());
        assertEquals(0, agent.exit(), agent.toString());
        assertTrue(agent.out().contains("Settings     not approved yet: apply_to_dev and backup refuse until a person "
                + "approves them, at a terminal: safemigrate trust --config " + root.resolve("safemigrate.toml")), agent.out());
        assertTrue(TrustRecord.read(new ConfigLoader(n -> null).load(null, root)).isEmpty(), "nothing recorded");

        ScriptedTerminal person = new ScriptedTerminal("y");
        CommandRun atTerminal = CommandRun.of(new InitCommand(), root, person, "--jar", jar.toString());
        assertEquals(0, atTerminal.exit(), atTerminal.toString());
        assertTrue(atTerminal.out().contains("Never approved; these differ from the built-in defaults:"), atTerminal.out());
        assertTrue(person.prompts.get(0).contains("Approve these settings"), person.prompts.toString());
        assertTrue(TrustRecord.read(new ConfigLoader(n -> null).load(null, root)).isPresent());
    }

    @Test
    void markDevAtATerminalAsksToApproveTheSettingsAfterMarking() throws Exception {
        String db = TestDatabase.create("trust_markdev");
        ProjectDir p = ProjectDir.create(root, db, "");
        edit(p, "[dev]\n", "[dev]\nexpect_database = \"" + db + "\"\n");
        ScriptedTerminal person = new ScriptedTerminal("", "y", "y");
        CommandRun r = CommandRun.of(new MarkDevCommand(), root, person, "--admin-user", TestDatabase.SUPERUSER);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(3, person.prompts.size(), person.prompts.toString());
        assertTrue(person.prompts.get(2).contains("Approve these settings"), person.prompts.toString());
        assertTrue(r.out().contains("dev.expect_database: (not set) → " + db), r.out());
        assertEquals(p.config().policySettings(), TrustRecord.read(p.config()).orElseThrow().settings());
    }
}
