package dev.safemigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.function.Consumer;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import dev.safemigrate.config.Config;
import dev.safemigrate.mcp.SafemigrateServer;
import dev.safemigrate.tools.Project;

/** The real server and the SDK's real client, connected by in-memory pipes. */
public final class InProcessServer implements AutoCloseable {

    public final Project project;
    public final McpSyncClient client;
    private final McpSyncServer server;

    private InProcessServer(Project project, McpSyncServer server, McpSyncClient client) {
        this.project = project;
        this.server = server;
        this.client = client;
    }

    public static InProcessServer start(Config config) {
        return start(config, spec -> {});
    }

    /** @param clientSetup to declare client capabilities such as elicitation */
    public static InProcessServer start(Config config, Consumer<McpClient.SyncSpec> clientSetup) {
        try {
            Pipe toServer = Pipe.open();
            Pipe toClient = Pipe.open();
            var mapper = McpJsonDefaults.getMapper();
            Project project = Project.open(config);
            var transport = new StdioServerTransportProvider(mapper, Channels.newInputStream(toServer.source()),
                    Channels.newOutputStream(toClient.sink()));
            McpSyncServer server = SafemigrateServer.start(transport, project);
            McpClient.SyncSpec spec = McpClient.sync(new PipedClientTransport(Channels.newInputStream(toClient.source()),
                            Channels.newOutputStream(toServer.sink()), mapper))
                    .requestTimeout(Duration.ofSeconds(120))
                    .clientInfo(new McpSchema.Implementation("safemigrate-tests", "1.0"));
            clientSetup.accept(spec);
            McpSyncClient client = spec.build();
            client.initialize();
            return new InProcessServer(project, server, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.closeGracefully();
        server.closeGracefully();
        project.close();
    }
}
