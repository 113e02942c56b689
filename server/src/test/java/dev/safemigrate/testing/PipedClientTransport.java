package dev.safemigrate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The client half of the stdio protocol over in-memory pipes: newline-delimited JSON-RPC, exactly
 * what StdioClientTransport speaks to a subprocess, without the process start per test.
 */
public final class PipedClientTransport implements McpClientTransport {

    private final InputStream fromServer;
    private final OutputStream toServer;
    private final McpJsonMapper mapper;
    private Thread reader;

    public PipedClientTransport(InputStream fromServer, OutputStream toServer, McpJsonMapper mapper) {
        this.fromServer = fromServer;
        this.toServer = toServer;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper, line);
                    handler.apply(Mono.just(message)).subscribe();
                }
            } catch (IOException e) {
                // the server side closed: the session is over
            }
        }, "piped-client-reader");
        reader.setDaemon(true);
        reader.start();
        return Mono.empty();
    }

    @Override
    public synchronized Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            try {
                synchronized (toServer) {
                    toServer.write((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
                    toServer.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot write to the server", e);
            }
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            try {
                toServer.close();
            } catch (IOException ignored) {
                // already closed
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
