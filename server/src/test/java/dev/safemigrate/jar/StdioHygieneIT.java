package dev.safemigrate.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** stdout carries protocol messages only, bad input never kills the server, config errors are loud. */
@org.junit.jupiter.api.Timeout(120)
class StdioHygieneIT {

    @TempDir
    Path root;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void malformedInputGetsJsonRpcErrorsAndTheServerKeepsServing() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("hygiene"), "");
        Process proc = new ProcessBuilder(JarServer.command("--config", p.configFile().toString()))
                .redirectError(root.resolve("stderr.txt").toFile()).start();
        try (OutputStream in = proc.getOutputStream()) {
            for (String line : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "this is not json",
                    "[1, 2]",
                    "{}",
                    "{\"jsonrpc\":\"2.0\",\"id\":6}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no/such/method\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"reset_database\",\"arguments\":{}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"status\",\"arguments\":{}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            Map<Object, Map<String, Object>> responses = readResponses(proc, 6);
            assertTrue(responses.get(6).containsKey("error"), "an id without method is an invalid request");
            assertTrue(responses.get(2).containsKey("error"), "unknown method is a JSON-RPC error");
            assertTrue(responses.get(3).toString().contains("reset_database"), "unknown tool is refused: " + responses.get(3));
            assertTrue(responses.get(4).containsKey("result"), responses.get(4).toString());
            assertTrue(responses.get(5).toString().contains("apply_to_dev"), "still serving after bad input");
        }
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS), "the server exits when stdin closes");
        assertEquals(0, proc.exitValue());

        List<Map<String, Object>> audit = auditLines();
        assertEquals(List.of("reset_database", "status"), audit.stream().map(e -> e.get("tool")).toList(),
                "the call to a tool that does not exist is in the audit log too");
        assertEquals("refused", audit.get(0).get("decision"), audit.get(0).toString());
        assertTrue(audit.get(0).toString().contains("UNKNOWN_TOOL") && audit.get(0).toString().contains("raw"),
                audit.get(0).toString());
        Process verify = new ProcessBuilder(JarServer.command("log", "--verify", "--config", p.configFile().toString()))
                .redirectErrorStream(true).start();
        String report = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), report);
    }

    @Test
    void aLineOverTheSdkLimitIsAnsweredAndTheNextCallSucceeds() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("bigline"), "");
        Process proc = new ProcessBuilder(JarServer.command("--config", p.configFile().toString()))
                .redirectError(root.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        try (OutputStream in = proc.getOutputStream()) {
            writeLine(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            assertTrue(out.readLine().contains("\"id\":1"));
            writeLine(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            // 20 MB of SQL in one tools/call, written in pieces as a client would stream it
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"create_migration\","
                    + "\"arguments\":{\"name\":\"huge\",\"sql\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "insert into t values (1);".repeat(40_000).getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written < 20_000_000; written += chunk.length) {
                in.write(chunk);
            }
            writeLine(in, "\"}}}");
            Map<String, Object> tooLarge = JSON.readValue(out.readLine(), new TypeReference<Map<String, Object>>() {});
            assertEquals(2, tooLarge.get("id"), tooLarge.toString());
            String message = String.valueOf(((Map<?, ?>) tooLarge.get("error")).get("message"));
            assertEquals(-32600, ((Map<?, ?>) tooLarge.get("error")).get("code"));
            assertTrue(message.contains("16 MiB") && message.contains("Split the migration"), message);

            writeLine(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"status\","
                    + "\"arguments\":{}}}");
            Map<String, Object> status = JSON.readValue(out.readLine(), new TypeReference<Map<String, Object>>() {});
            assertEquals(3, status.get("id"), status.toString());
            assertTrue(status.containsKey("result"), "still serving after the oversized line: " + status);
        }
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.migrationFiles().isEmpty(), "nothing was written for the oversized call");
        List<Map<String, Object>> audit = auditLines();
        assertEquals(List.of("create_migration", "status"), audit.stream().map(e -> e.get("tool")).toList(),
                "the refused oversized call has its audit line too");
        assertEquals("refused", audit.get(0).get("decision"), audit.get(0).toString());
        assertTrue(audit.get(0).toString().contains("REQUEST_TOO_LARGE") && audit.get(0).toString().contains("raw"),
                audit.get(0).toString());
        assertTrue(audit.get(0).toString().contains("message_bytes"), audit.get(0).toString());
    }

    @Test
    void closingStdinEndsTheServerAndItsEmbeddedPostgresWithinTwoSeconds() throws Exception {
        // no safemigrate.toml: the embedded default, whose PostgreSQL this process starts and must stop
        Process proc = new ProcessBuilder(JarServer.command()).directory(root.toFile())
                .redirectError(root.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = proc.getOutputStream();
        writeLine(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertTrue(out.readLine().contains("\"id\":1"));
        writeLine(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        writeLine(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"status\","
                + "\"arguments\":{}}}");
        String status = out.readLine();
        assertTrue(status.contains("\"id\":2") && status.contains("verified"), status);
        Path postmasterPid = root.resolve(".safemigrate/pgdata/postmaster.pid");
        assertTrue(Files.exists(postmasterPid), "the embedded PostgreSQL runs");

        long t0 = System.nanoTime();
        in.close();
        boolean ended = proc.waitFor(2, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!ended) {
            proc.destroyForcibly();
        }
        assertTrue(ended, "the JVM still runs 2 s after stdin closed: " + Files.readString(root.resolve("stderr.txt")));
        assertEquals(0, proc.exitValue());
        assertFalse(Files.exists(postmasterPid), "the embedded PostgreSQL was stopped cleanly (" + ms + " ms)");
    }

    private List<Map<String, Object>> auditLines() throws Exception {
        return Files.readAllLines(root.resolve(".safemigrate/audit.jsonl")).stream()
                .map(l -> JSON.readValue(l, new TypeReference<Map<String, Object>>() {})).toList();
    }

    private static void writeLine(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Reads stdout until ids 1..n answered; every line must be a JSON-RPC message. */
    @SuppressWarnings("unchecked")
    private static Map<Object, Map<String, Object>> readResponses(Process proc, int lastId) throws Exception {
        Map<Object, Map<String, Object>> byId = new java.util.HashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        int parseErrors = 0;
        for (String line; (byId.size() < lastId || parseErrors < 3) && (line = out.readLine()) != null; ) {
            Map<String, Object> msg = JSON.readValue(line, new TypeReference<Map<String, Object>>() {});
            assertEquals("2.0", msg.get("jsonrpc"), "not a protocol message on stdout: " + line);
            if (msg.get("id") instanceof Number n) {
                byId.put(n.intValue(), msg);
            } else {
                assertTrue(msg.containsKey("error"), line);
                int code = ((Number) ((Map<String, Object>) msg.get("error")).get("code")).intValue();
                assertTrue(code == -32700 || code == -32600, line);
                parseErrors++;
            }
        }
        assertEquals(3, parseErrors, "the not-json line, the batch and the empty object each get an error");
        return byId;
    }

    @Test
    void configurationErrorsGoToStderrWithExitCode2AndNothingOnStdout() throws Exception {
        Files.writeString(root.resolve("safemigrate.toml"), "[policy]\nallow_host = [\"x\"]\n");
        Process proc = new ProcessBuilder(JarServer.command()).directory(root.toFile()).start();
        proc.getOutputStream().close();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, proc.exitValue());
        assertEquals("", stdout);
        assertTrue(stderr.contains("policy.allow_host") && stderr.contains("safemigrate.toml"), stderr);
    }

    @Test
    void helpPrintsUsage() throws Exception {
        Process proc = new ProcessBuilder(JarServer.command("--help")).start();
        String all = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                + new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue());
        assertTrue(all.contains("usage:") && all.contains("--config"), all);
    }
}
