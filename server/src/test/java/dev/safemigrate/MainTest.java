package dev.safemigrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.cli.Command;
import dev.safemigrate.cli.Commands;
import dev.safemigrate.cli.Terminal;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** The command line as a person types it. */
class MainTest {

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {}

    private Run main(Terminal terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal, root);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        assertEquals(8, Commands.all().size());
        for (Command c : Commands.all()) {
            Run r = main(Terminal.NONE, c.name(), "--help");
            assertEquals(0, r.exit(), c.name());
            assertTrue(r.out().startsWith("usage: safemigrate " + c.name()), r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void theOverviewListsEveryCommandOnStderrSoServeKeepsStdout() {
        Run r = main(Terminal.NONE, "--help");
        assertEquals(0, r.exit());
        assertEquals("", r.out(), "stdout belongs to the protocol");
        for (Command c : Commands.all()) {
            assertTrue(r.err().contains("\n  " + c.name() + " "), c.name() + " in\n" + r.err());
        }
        assertEquals(0, main(Terminal.NONE, "serve", "--help").exit());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        Run unknown = main(Terminal.NONE, "deploy");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown command 'deploy'"), unknown.err());

        Run option = main(Terminal.NONE, "log", "--refuse");
        assertEquals(2, option.exit());
        assertTrue(option.err().startsWith("safemigrate log: unknown option '--refuse'"), option.err());
        assertTrue(option.err().contains("usage: safemigrate log"), option.err());
    }

    @Test
    void aBrokenConfigurationIsNamed() {
        Run r = main(Terminal.NONE, "status", "--config", "missing.toml");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("configuration error: --config missing.toml: no such file"), r.err());
    }

    /** Surefire runs the tests with stdin piped, exactly as an agent runs a shell command. */
    @Test
    void markDevAndRestoreRefuseWhenStdinIsNotATerminal() {
        String db = TestDatabase.create("main_noterm");
        ProjectDir project = ProjectDir.create(root, db, "");
        Run mark = main(Terminal.system(), "mark-dev", "--config", project.configFile().toString());
        assertEquals(1, mark.exit());
        assertTrue(mark.err().contains("safemigrate mark-dev: refusing: stdin is not a terminal"), mark.err());
        Run restore = main(Terminal.system(), "restore", "some.dump");
        assertEquals(1, restore.exit());
        assertTrue(restore.err().contains("safemigrate restore: refusing: stdin is not a terminal"), restore.err());
        TestDatabase.execute(db, "create table legacy (id int)");
        Run baseline = main(Terminal.system(), "baseline", "--config", project.configFile().toString());
        assertEquals(1, baseline.exit());
        assertTrue(baseline.err().contains("safemigrate baseline: refusing: stdin is not a terminal"), baseline.err());
        assertFalse(TestDatabase.tableExists(db, "flyway_schema_history"), "an agent's shell cannot record a baseline");
    }

    /** An agent that loosened safemigrate.toml cannot approve it from its shell: nothing is recorded. */
    @Test
    void trustRefusesWhenStdinIsNotATerminalAndRecordsNothing() throws Exception {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("main_trust"), "");
        Path record = TrustRecord.file(project.config());
        String approved = Files.readString(record);
        Files.writeString(project.configFile(), Files.readString(project.configFile()) + "\n[policy]\ndeny_patterns = []\n");
        Run trust = main(Terminal.system(), "trust", "--config", project.configFile().toString());
        assertEquals(1, trust.exit());
        assertTrue(trust.err().contains("safemigrate trust: refusing: stdin is not a terminal"), trust.err());
        assertEquals(approved, Files.readString(record));
    }
}
