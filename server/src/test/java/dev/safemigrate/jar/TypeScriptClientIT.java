package dev.safemigrate.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/**
 * The built jar driven by the TypeScript MCP SDK's stdio client (server/src/test/node), which
 * many agents are built on and which writes a request's "id" after its params: a refusal of an
 * oversized request must still reach it as the answer to that request, not leave it waiting for
 * its timeout. Needs node and {@code npm ci} in server/src/test/node (.ci/run does it); without
 * them this fails rather than skips, so that CI cannot pass without having run it.
 */
@Timeout(300)
class TypeScriptClientIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENT_TIMEOUT_MS = 60_000;

    @TempDir
    Path root;

    @Test
    void aCreateMigrationOverTheLimitFromTheTypeScriptSdkIsRefusedPromptlyAsTheAnswerToItsRequest() throws Exception {
        Path node = nodePackage();
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("ts_client"), "");
        Path stderr = root.resolve("node-stderr.txt");
        Process proc = new ProcessBuilder("node", node.resolve("oversized-call.mjs").toString(), JarServer.javaExecutable(),
                JarServer.jar().toString(), p.configFile().toString(), root.toString(), "20000000",
                String.valueOf(CLIENT_TIMEOUT_MS))
                .directory(node.toFile()).redirectError(stderr.toFile()).start();
        proc.getOutputStream().close();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "the node client did not end");
        String diagnostics = "stdout: " + stdout + "\nstderr: " + Files.readString(stderr);
        assertEquals(0, proc.exitValue(), diagnostics);
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        JsonNode report = JSON.readTree(lines.get(lines.size() - 1));
        System.out.println("TypeScript SDK client: " + report);

        assertTrue(report.path("sqlBytes").asLong() > 16L * 1024 * 1024, report.toString());
        assertEquals("error", report.path("outcome").asString(), "the client must get the refusal, not time out: " + diagnostics);
        assertEquals(-32600, report.path("code").asInt(), report.toString());
        assertTrue(report.path("message").asString().contains("too large"), report.toString());
        assertTrue(report.path("ms").asLong() < 20_000, "answered only after " + report.path("ms") + " ms");
        assertEquals("ok", report.path("statusAfter").asString(), "still serving after the refusal: " + report);
        assertTrue(p.migrationFiles().isEmpty(), "nothing was written for the oversized call");
    }

    /** @return server/src/test/node with its SDK installed at the pinned version; fails when node or the install is missing */
    private static Path nodePackage() throws Exception {
        Path dir = JarServer.jar().toAbsolutePath().getParent().getParent().resolve("src/test/node");
        String nodeVersion;
        try {
            Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            nodeVersion = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!v.waitFor(30, TimeUnit.SECONDS) || v.exitValue() != 0) {
                fail("`node --version` failed: " + nodeVersion);
            }
        } catch (IOException e) {
            throw new AssertionError("node is missing: this test drives the server with the TypeScript MCP SDK; install "
                    + "Node.js 18+ and run `npm ci` in " + dir + " (.ci/run does both)", e);
        }
        String pinned = JSON.readTree(dir.resolve("package.json").toFile()).path("dependencies")
                .path("@modelcontextprotocol/sdk").asString();
        Path installed = dir.resolve("node_modules/@modelcontextprotocol/sdk/package.json");
        if (!Files.isRegularFile(installed)) {
            fail("the TypeScript MCP SDK is not installed: run `npm ci --no-audit --no-fund` in " + dir + " (node "
                    + nodeVersion + "; .ci/run does it)");
        }
        String version = JSON.readTree(installed.toFile()).path("version").asString();
        assertEquals(pinned, version, "node_modules holds another SDK version than package.json pins: run `npm ci` in " + dir);
        return dir;
    }
}
