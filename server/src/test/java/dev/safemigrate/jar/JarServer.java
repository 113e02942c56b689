package dev.safemigrate.jar;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;

/** The built jar as a subprocess, driven by the SDK's own stdio client: exactly how an agent runs it. */
final class JarServer {

    private JarServer() {}

    static Path jar() {
        String path = System.getProperty("safemigrate.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("the built jar is missing (" + path + "): run `mvn verify`, which packages "
                    + "server/target/safemigrate.jar before the integration tests");
        }
        return Path.of(path);
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @param workingDir the folder the server runs in: its ./safemigrate.toml or embedded default */
    static McpSyncClient start(Path workingDir, List<String> stderr, String... args) {
        return start(workingDir, stderr, spec -> { }, args);
    }

    /** @param clientSetup to declare client capabilities such as elicitation */
    static McpSyncClient start(Path workingDir, List<String> stderr, java.util.function.Consumer<McpClient.SyncSpec> clientSetup,
                               String... args) {
        List<String> cmd = command(args);
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size())).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper()) {
            @Override
            protected ProcessBuilder getProcessBuilder() {
                return super.getProcessBuilder().directory(new File(workingDir.toString()));
            }
        };
        transport.setStdErrorHandler(line -> {
            synchronized (stderr) {
                stderr.add(line);
            }
        });
        McpClient.SyncSpec spec = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(120))
                .initializationTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("safemigrate-jar-tests", "1.0"));
        clientSetup.accept(spec);
        McpSyncClient client = spec.build();
        client.initialize();
        return client;
    }
}
