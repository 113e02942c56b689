package dev.safemigrate.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.cli.init.StartupArchive;

/**
 * The start-up class archive that .mcp.json points at: made by a training run of the built jar,
 * used by the next start, and harmless when missing, damaged or made for another jar — the server
 * then starts without it, and stdout (the MCP channel) carries nothing but JSON-RPC either way.
 */
@Timeout(600)
class StartupArchiveIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;

    @Test
    void aFreshArchiveIsUsedByTheNextStart() throws Exception {
        Path archive = root.resolve("cache/startup.jsa");
        assertNull(StartupArchive.create(JarServer.jar(), archive, Duration.ofSeconds(300)));
        assertTrue(StartupArchive.current(JarServer.jar(), archive));
        Started s = start(archive, "-Xlog:class+load=info:stderr");
        assertTrue(s.stderr.contains("dev.safemigrate.mcp.SafemigrateServer source: shared objects file (top)"),
                "the server's own classes come from the archive");
    }

    /**
     * The training run goes past tools/list (status, a create_migration, the idle warm-up): a first call
     * then finds Flyway's plugins, the analysis, JSqlParser and the validator in the archive instead of
     * loading them from the jar.
     */
    @Test
    void theArchiveHoldsWhatAFirstCallLoads() throws Exception {
        Path archive = root.resolve("cache/startup.jsa");
        assertNull(StartupArchive.create(JarServer.jar(), archive, Duration.ofSeconds(300)));
        Process p = new ProcessBuilder(JarServer.javaExecutable(), "-XX:SharedArchiveFile=" + archive,
                "-XX:+PrintSharedArchiveAndExit", "-jar", JarServer.jar().toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        for (String cls : List.of("org.flywaydb.core.internal.plugin.PluginRegister", "net.sf.jsqlparser.parser.CCJSqlParser",
                "dev.safemigrate.analysis.rules.RuleSet", "dev.safemigrate.analysis.BoundaryCheck",
                "com.networknt.schema.SchemaRegistry", "org.postgresql.Driver")) {
            assertTrue(listing.contains(" " + cls + " "), cls + " in the archive");
        }
    }

    @Test
    void aMissingArchiveStillStarts() throws Exception {
        start(root.resolve("nowhere/startup.jsa"));
    }

    @Test
    void aDamagedArchiveStillStarts() throws Exception {
        Path archive = root.resolve("startup.jsa");
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(13).nextBytes(junk);
        Files.write(archive, junk);
        start(archive);
    }

    @Test
    void anArchiveOfAnotherJarStillStarts() throws Exception {
        Path other = Files.copy(JarServer.jar(), root.resolve("older-safemigrate.jar"));
        Path archive = root.resolve("startup.jsa");
        assertNull(StartupArchive.create(other, archive, Duration.ofSeconds(300)));
        Files.delete(other);
        start(archive, "-Xlog:class+load=info:stderr");
    }

    private record Started(List<String> stdout, String stderr) {}

    /** Starts the jar with the archive's options, lists the tools, closes stdin; every stdout line must be JSON-RPC. */
    private Started start(Path archive, String... extraOptions) throws Exception {
        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("safemigrate.toml"), "[dev]\nurl = \"jdbc:postgresql://127.0.0.1:1/x\"\nuser = \"x\"\n");
        List<String> cmd = new ArrayList<>(List.of(JarServer.javaExecutable()));
        cmd.addAll(StartupArchive.jvmOptions(archive));
        cmd.addAll(List.of(extraOptions));
        cmd.addAll(List.of("-jar", JarServer.jar().toString(), "serve", "--config", project.resolve("safemigrate.toml").toString()));
        Path err = root.resolve("stderr-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectError(err.toFile()).start();
        List<String> lines = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            JsonNode tools = null;
            for (String line; tools == null && (line = out.readLine()) != null; ) {
                lines.add(line);
                JsonNode m = JSON.readTree(line); // throws on anything that is not JSON
                if (m.path("id").asInt() == 2) {
                    tools = m.path("result").path("tools");
                }
            }
            assertTrue(tools != null, "tools/list answered: " + lines + "\nstderr: " + Files.readString(err));
            assertEquals(5, tools.size(), tools.toString());
            in.close();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                JSON.readTree(line); // nothing but JSON-RPC on stdout, up to the end
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits once stdin closes");
        return new Started(lines, Files.readString(err));
    }
}
