package dev.safemigrate.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ClaudePermissionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ProtectedPaths ANNS = ProtectedPaths.of(Path.of("/home/ann/.config"),
            Path.of("/home/ann/.cache/safemigrate"), Path.of("/home/ann"));

    @TempDir
    Path root;

    @Test
    void theKeyFolderIsDeniedHomeRelativeWhenItIsInTheHome() {
        assertEquals(List.of("Read(~/.config/safemigrate/**)", "Read(./.env)", "Read(./.env.*)", "Read(**/.env)",
                "Read(**/.env.*)"), ClaudePermissions.secretReads(Path.of("/home/ann/.config"), Path.of("/home/ann")));
    }

    @Test
    void aConfigHomeOutsideTheHomeIsDeniedByItsAbsolutePath() {
        // "//" starts an absolute path in Claude Code's rules; "/x" would be relative to the project
        assertTrue(ClaudePermissions.secretReads(Path.of("/srv/conf"), Path.of("/home/ann"))
                .contains("Read(//srv/conf/safemigrate/**)"));
    }

    @Test
    void theSandboxDeniesReadingTheSecretsAndWritingThePolicy() throws Exception {
        JsonNode settings = JSON.readTree(ClaudePermissions.plan(root, ANNS).content());
        assertTrue(settings.at("/sandbox/enabled").asBoolean());
        assertEquals(List.of("~/.config/safemigrate", "./.env", "./.env.*", "**/.env", "**/.env.*"),
                strings(settings.at("/sandbox/filesystem/denyRead")));
        assertEquals(List.of("./safemigrate.toml", "./.safemigrate", "~/.config/safemigrate", "~/.cache/safemigrate",
                "./.mcp.json", "./.claude/settings.json", "./.claude/settings.local.json"),
                strings(settings.at("/sandbox/filesystem/denyWrite")));
    }

    /** The file tools get the same paths as Edit rules: Edit covers Write and NotebookEdit in Claude Code. */
    @Test
    void theFileToolsMayNotEditThePolicyTheKeysTheArchiveOrTheseSettings() throws Exception {
        List<String> deny = strings(JSON.readTree(ClaudePermissions.plan(root, ANNS).content()).at("/permissions/deny"));
        for (String rule : List.of("Edit(./safemigrate.toml)", "Edit(./.safemigrate/**)", "Edit(~/.config/safemigrate/**)",
                "Edit(~/.cache/safemigrate/**)", "Edit(./.mcp.json)", "Edit(./.claude/settings.json)",
                "Edit(./.claude/settings.local.json)", "Edit(**/safemigrate.toml)", "Read(~/.config/safemigrate/**)")) {
            assertTrue(deny.contains(rule), rule + " in " + deny);
        }
        assertFalse(deny.stream().anyMatch(r -> r.startsWith("Write(")), "Write(path) rules are never matched: " + deny);
    }

    @Test
    void foldersOutsideTheHomeAreAbsoluteInTheSandboxToo() throws Exception {
        ProtectedPaths elsewhere = ProtectedPaths.of(Path.of("/srv/conf"), Path.of("/var/cache/ann/safemigrate"),
                Path.of("/home/ann"));
        JsonNode settings = JSON.readTree(ClaudePermissions.plan(root, elsewhere).content());
        assertEquals("//srv/conf/safemigrate", settings.at("/sandbox/filesystem/denyRead/0").asString());
        assertTrue(strings(settings.at("/sandbox/filesystem/denyWrite")).contains("//var/cache/ann/safemigrate"));
    }

    @Test
    void aSandboxAPersonTurnedOffStaysOffAndInitSaysWhatThatLeavesOpen() throws Exception {
        Files.createDirectories(root.resolve(".claude"));
        Files.writeString(root.resolve(ClaudePermissions.FILE), "{\"sandbox\": {\"enabled\": false}}");
        PlannedFile planned = ClaudePermissions.plan(root, ANNS);
        JsonNode settings = JSON.readTree(planned.content());
        assertFalse(settings.at("/sandbox/enabled").asBoolean());
        assertEquals(7, settings.at("/sandbox/filesystem/denyWrite").size(), "ready for when it is turned on");
        assertTrue(planned.change().contains("sandbox.enabled is false, left as it is"), planned.change());
    }

    @Test
    void aSandboxListThatIsNotAnArrayStopsInitBeforeAnythingIsWritten() throws Exception {
        Files.createDirectories(root.resolve(".claude"));
        Files.writeString(root.resolve(ClaudePermissions.FILE), "{\"sandbox\": {\"filesystem\": {\"denyWrite\": \"x\"}}}");
        SetupException e = org.junit.jupiter.api.Assertions.assertThrows(SetupException.class,
                () -> ClaudePermissions.plan(root, ANNS));
        assertTrue(e.getMessage().contains("\"sandbox.filesystem.denyWrite\"") && e.getMessage().contains("Nothing was written"),
                e.getMessage());
    }

    @Test
    void planningAgainAfterWritingChangesNothing() throws Exception {
        ProjectSetup.write(ClaudePermissions.plan(root, ANNS));
        PlannedFile again = ClaudePermissions.plan(root, ANNS);
        assertNull(again.content(), again.change());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
