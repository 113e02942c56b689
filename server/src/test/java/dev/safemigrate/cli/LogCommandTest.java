package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditLog;
import dev.safemigrate.audit.ToolCall;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.TestConfigHome;
import dev.safemigrate.tools.BackupTool;
import dev.safemigrate.tools.StatusTool;

class LogCommandTest {

    @TempDir
    Path root;
    Path log;

    /** No safemigrate.toml: the default log under .safemigrate/, and no database is needed to read it. */
    @BeforeEach
    void threeCalls() throws Exception {
        log = root.resolve(".safemigrate/audit.jsonl");
        AuditLog audit = AuditLog.of(new ConfigLoader(n -> null, TestConfigHome.dir()).load(null, root));
        AuditEntry.Client claude = new AuditEntry.Client("claude-code", "2.1.0");
        // as the tools record them: the summary comes from their Output records
        StatusTool.Output status = new StatusTool.Output("show_sql {}", new StatusTool.Summary(2, 1, 0, 0), null, null, null, null,
                "db/migrations", List.of(), new StatusTool.Validation(true, List.of()), List.of(), null, null);
        audit.append(new ToolCall(Instant.parse("2026-11-25T08:00:00Z"), "s1", claude, "status", Map.of(), false,
                Map.of("summary", Map.of("applied", 2, "pending", 1, "failed", 0), "database", Map.of("name", "app_dev")), 12)
                .summarisedBy(status));
        audit.append(new ToolCall(Instant.parse("2026-11-25T11:00:00Z"), "s1", claude, "apply_to_dev", Map.of(), true,
                Map.of("error", Map.of("code", "NOT_DEV_DATABASE", "message", "database 'shop' is marked production",
                        "hint", "h")), 5));
        BackupTool.Output backup = new BackupTool.Output(new BackupTool.Backup("20261125T113000Z.dump",
                ".safemigrate/backups/20261125T113000Z.dump", null, "2026-11-25T11:30:00Z", 4096, "ab".repeat(32), 900,
                "pg_dump (PostgreSQL) 15.10", 0, List.of()), null, List.of(), null, List.of());
        audit.append(new ToolCall(Instant.parse("2026-11-25T11:30:00Z"), "s2", new AuditEntry.Client("cursor", "1.0"),
                "backup", Map.of(), false, Map.of("backup", Map.of("file", "20261125T113000Z.dump", "tables", List.of(),
                "total_rows", 0), "removed", List.of()), 900).summarisedBy(backup));
    }

    @Test
    void showsEveryCallAsATable() throws Exception {
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE);
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("TIME (UTC)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("2026-11-25 08:00:00  claude-code/2.1.0  status"), lines.get(1));
        assertTrue(lines.get(1).contains("applied=2") && lines.get(1).contains("db=app_dev"), lines.get(1));
        assertTrue(lines.get(2).contains("refused NOT_DEV_DATABASE") && lines.get(2).contains("marked production"),
                lines.get(2));
        assertTrue(lines.get(3).contains("cursor/1.0") && lines.get(3).contains("file=20261125T113000Z.dump"), lines.get(3));
    }

    @Test
    void filtersByToolRefusedAndSince() throws Exception {
        assertEquals(List.of("backup"), tools(CommandRun.of(new LogCommand(), root, Terminal.NONE, "--tool", "backup")));
        assertEquals(List.of("apply_to_dev"), tools(CommandRun.of(new LogCommand(), root, Terminal.NONE, "--refused")));
        // the test clock stands at 12:00Z
        assertEquals(List.of("apply_to_dev", "backup"), tools(CommandRun.of(new LogCommand(), root, Terminal.NONE,
                "--since", "2h")));
        assertEquals(List.of("backup"), tools(CommandRun.of(new LogCommand(), root, Terminal.NONE,
                "--since=2026-11-25T11:15:00Z")));
        assertEquals(List.of(), tools(CommandRun.of(new LogCommand(), root, Terminal.NONE, "--tool", "backup",
                "--refused")));
    }

    @Test
    void showsEachAcceptedFindingWithItsReasonOnALineOfItsOwn() throws Exception {
        AuditLog audit = AuditLog.of(new ConfigLoader(n -> null, TestConfigHome.dir()).load(null, root));
        Map<String, Object> accepted = Map.of("rule", "drop-column", "file", "db/migrations/V2__drop_note.sql", "line", 3,
                "reason", "unused since 4.2 \u001b[2J\u202Eevil");
        audit.append(new ToolCall(Instant.parse("2026-11-25T11:45:00Z"), "s2", null, "create_migration", Map.of(), false,
                Map.of(), 7, Map.of("version", "2", "findings", Map.of("info", 1), "accepted", List.of(accepted))));
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE, "--tool", "create_migration");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).contains("version=2") && lines.get(1).contains("accepted=1"), lines.get(1));
        // what the agent wrote reaches the terminal without its escape and bidi-override characters
        assertEquals("    accepted drop-column at db/migrations/V2__drop_note.sql:3: \"unused since 4.2 ?[2J?evil\"",
                lines.get(2));
        assertEquals(0, CommandRun.of(new LogCommand(), root, Terminal.NONE, "--verify").exit());
    }

    @Test
    void jsonPrintsTheStoredLinesUnchanged() throws Exception {
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE, "--json", "--tool", "status");
        assertEquals(Files.readAllLines(log).get(0) + "\n", r.out());
    }

    @Test
    void verifyReportsAnIntactChain() throws Exception {
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE, "--verify");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("3 entries, keyed chain intact, first #1 at 2026-11-25T08:00:00Z, last #3 at "
                + "2026-11-25T11:30:00Z"), r.out());
    }

    @Test
    void verifyNamesTheEditedLineAndFails() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replace("\"refused\"", "\"allowed\""));
        Files.write(log, lines);
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE, "--verify");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("is NOT intact: line 2: hash mismatch"), r.err());
        assertFalse(r.out().contains("intact"), r.out());
    }

    @Test
    void verifyNamesALogCutShortAndFails() throws Exception {
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, 2));
        CommandRun r = CommandRun.of(new LogCommand(), root, Terminal.NONE, "--verify");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("is NOT intact: the log was cut short: it ends at line 2 (#2), but #3 was written"),
                r.err());
    }

    @Test
    void rejectsAnUnreadableSinceAndFiltersOnVerify() {
        UsageException since = assertThrows(UsageException.class,
                () -> CommandRun.of(new LogCommand(), root, Terminal.NONE, "--since", "yesterday"));
        assertTrue(since.getMessage().contains("2h"), since.getMessage());
        assertThrows(UsageException.class, () -> CommandRun.of(new LogCommand(), root, Terminal.NONE, "--verify", "--refused"));
        assertThrows(UsageException.class, () -> CommandRun.of(new LogCommand(), root, Terminal.NONE, "--refuse"));
    }

    private static List<String> tools(CommandRun r) {
        assertEquals(0, r.exit(), r.toString());
        return r.out().lines().skip(1).filter(l -> !l.startsWith("No matching"))
                .map(l -> l.split("\\s{2,}")[2]).toList();
    }
}
