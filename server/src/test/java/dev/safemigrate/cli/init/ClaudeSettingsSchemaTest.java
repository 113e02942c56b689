package dev.safemigrate.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * says how it was made). With {@code CLAUDE_CODE_BIN} set to that binary, Claude Code's own
 * settings check runs too, which also reads the rules' text.
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

    @Test
    void claudeCodeItselfLoadsTheSettingsWithoutAProblem() throws Exception {
        String bin = System.getenv("CLAUDE_CODE_BIN");
        assumeTrue(bin != null && !bin.isBlank(), "CLAUDE_CODE_BIN names no Claude Code binary");
        Path home = Files.createDirectories(install.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(bin, "--check-settings-text").redirectErrorStream(true);
        pb.environment().put("HOME", home.toString()); // nothing of the real user's Claude Code state is read
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsString(settingsInitWrites()).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        JsonNode verdict = JSON.readTree(out);
        assertTrue(verdict.path("loads").asBoolean(), out);
        assertEquals(0, verdict.path("problems").size(), out);
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
