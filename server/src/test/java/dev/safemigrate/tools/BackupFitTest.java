package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.mcp.ResultMapper;
import dev.safemigrate.mcp.ToolSchemas;

/** backup's result and the backup apply_to_dev embeds, fitted without a database. */
class BackupFitTest {

    private static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    private static int length(Object result) {
        return ResultJson.length(result);
    }

    @Test
    void aBackupWithThousandsOfTablesFitsAndPointsAtTheRest() {
        List<BackupManifest.TableRows> tables = IntStream.range(0, 5_000)
                .mapToObj(i -> new BackupManifest.TableRows("public", "table_" + i, i)).toList();
        BackupTool.Backup backup = new BackupTool.Backup("20261125T113000000Z.dump", ".safemigrate/backups/20261125T113000000Z.dump",
                null, "2026-11-25T11:30:00Z", 4096, "ab".repeat(32), 900, "pg_dump (PostgreSQL) 15.10", 12_497_500, tables);
        List<String> removed = IntStream.range(0, 50).mapToObj(i -> "2025010" + i + "T000000000Z.dump").toList();
        BackupTool.Output out = BackupTool.output(StatusViewTest.DEV, backup, removed);
        assertTrue(length(out) <= Budget.RESULT, "chars: " + length(out));
        var valid = VALIDATOR.validate(ToolSchemas.output("backup"), ResultMapper.structured(out));
        assertTrue(valid.valid(), valid.errorMessage());
        int shown = out.backup().tables().size();
        assertEquals(tables.subList(0, shown), out.backup().tables(), "the manifest's order");
        assertEquals(new Truncated(shown, 5_000, "status {\"list\":\"backup_tables\",\"backup\":\"20261125T113000000Z.dump\","
                + "\"offset\":" + shown + "}", "backup.tables", List.of(new Truncated(BackupTool.REMOVED, 50,
                "safemigrate log --tool backup --json", "removed", null))), out.truncated());
        assertEquals(BackupTool.REMOVED, out.removed().size());
        assertFalse(ResultJson.JSON.writeValueAsString(out).contains("removed_in_full"), "the full list is for the audit only");
        assertEquals(50, ((List<?>) out.auditSummary().get("removed")).size());
        assertEquals(5_000, out.auditSummary().get("tables"));

        BackupTool.Fitted fitted = BackupTool.fit(backup, 2_000);
        assertTrue(length(fitted.backup()) <= 2_000, "chars: " + length(fitted.backup()));
        assertEquals(fitted.backup().tables().size(), fitted.truncated().shown());
        assertEquals("backup.tables", fitted.truncated().of());
        assertNull(BackupTool.fit(backup, 1_000_000).truncated(), "a backup that fits is whole");
        assertNotNull(BackupTool.fit(backup, 0).backup(), "at least the backup without its tables");
    }
}
