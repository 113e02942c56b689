package dev.safemigrate.jar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built jar driven with raw JSON-RPC lines, so that a test owns the process and can kill it
 * with SIGKILL at the moment it chooses (the SDK's client keeps its process to itself).
 */
final class RawServer implements AutoCloseable {

    final Process process;
    final BufferedReader out;
    final Path stderr;
    private final OutputStream in;

    private RawServer(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.in = process.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code serve --config configFile} in root and completes the MCP handshake. */
    static RawServer start(Path root, Path configFile) throws IOException {
        Path stderr = Files.createTempFile(root, "stderr", ".txt");
        Process p = new ProcessBuilder(JarServer.command("serve", "--config", configFile.toString()))
                .directory(root.toFile()).redirectError(stderr.toFile()).start();
        RawServer s = new RawServer(p, stderr);
        s.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"kill-test\",\"version\":\"1\"}}}");
        s.out.readLine();
        s.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return s;
    }

    void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    /** SIGKILL on Linux: no shutdown hook and no finally block runs in the server. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
