package dev.safemigrate.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The .claude/settings.json init writes, against Claude Code's own schema: the one Claude Code
 * 2.1.337 prints with {@code claude --settings-schema} (src/test/resources/claude-code/README.md
 * says how it was made). Claude Code's own settings check, which also reads the rules' text, needs
 * its 409 MB binary: docs/check-claude-settings.sh runs it (it passed on 2.1.337).
 */
class ClaudeSettingsSchemaTest {

    static final String SCHEMA = "/claude-code/settings-schema-2.1.337.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;
    @TempDir
    Path install;

    @Test
    void theSettingsInitWritesInAnEmptyProjectMatchClaudeCodesSchema() throws Exception {
        JsonNode settings = settingsInitWrites();
        assertEquals(List.of(), problems(settings), settings.toString());
        assertTrue(settings.at("/sandbox/enabled").asBoolean(), settings.toString());
    }

    @Test
    void theSettingsInitMergesIntoAPersonsOwnMatchClaudeCodesSchema() throws Exception {
        Files.createDirectories(root.resolve(".claude"));
        Files.writeString(root.resolve(".claude/settings.json"), """
                {"model": "opus", "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Bash(rm -rf:*)"],
                  "defaultMode": "acceptEdits"},
                 "sandbox": {"autoAllowBashIfSandboxed": true, "excludedCommands": ["docker"],
                   "network": {"allowedDomains": ["registry.npmjs.org"]},
                   "filesystem": {"allowWrite": ["~/.npm"], "denyRead": ["~/.ssh"]}}}""");
        JsonNode settings = settingsInitWrites();
        assertEquals(List.of(), problems(settings), settings.toString());
        assertEquals("~/.ssh", settings.at("/sandbox/filesystem/denyRead/0").asString(), "the person's own deny first");
        assertEquals("registry.npmjs.org", settings.at("/sandbox/network/allowedDomains/0").asString());
        assertTrue(settings.at("/sandbox/autoAllowBashIfSandboxed").asBoolean());
    }

    /** The check is real: it refuses what Claude Code would report. */
    @Test
    void theSchemaRefusesASandboxClaudeCodeWouldReport() throws Exception {
        assertFalse(problems(JSON.readTree("{\"sandbox\": {\"enabled\": \"yes\"}}")).isEmpty());
        assertFalse(problems(JSON.readTree("{\"sandbox\": {\"filesystem\": {\"denyWrite\": [1]}}}")).isEmpty());
        assertFalse(problems(JSON.readTree("{\"permissions\": {\"deny\": \"Bash(psql:*)\"}}")).isEmpty());
    }

    /** Claude Code's Linux sandbox skips a glob in a write deny ("[Sandbox] Skipping glob write pattern on Linux"). */
    @Test
    void everySandboxWriteDenyNamesItsPathLiterally() throws Exception {
        JsonNode denyWrite = settingsInitWrites().at("/sandbox/filesystem/denyWrite");
        assertEquals(7, denyWrite.size(), denyWrite.toString());
        denyWrite.forEach(p -> assertFalse(p.asString().matches(".*[*?\\[{].*"), p.asString()));
    }

    private JsonNode settingsInitWrites() throws Exception {
        Path jar = Files.writeString(install.resolve("safemigrate.jar"), "not really a jar");
        for (PlannedFile f : ProjectSetup.plan(root, jar)) {
            if (f.path().endsWith(ClaudePermissions.FILE)) {
                return JSON.readTree(f.content());
            }
        }
        throw new AssertionError("init plans no " + ClaudePermissions.FILE);
    }

    private static List<String> problems(JsonNode settings) throws Exception {
        Schema schema;
        try (var in = ClaudeSettingsSchemaTest.class.getResourceAsStream(SCHEMA)) {
            schema = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012()).getSchema(JSON.readTree(in));
        }
        List<String> problems = new ArrayList<>();
        schema.validate(settings).forEach(e -> problems.add(e.toString()));
        return problems;
    }
}
