package dev.safemigrate.mcp;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The SDK's server transport for stdio, fed by the {@link StdioGuard} with the messages it has
 * already parsed. The SDK's own stdio transport would read every line again, a character at a
 * time, and parse it twice more (to a map, then to a message): for a 15 MB create_migration that
 * was most of the time not spent analysing. Here a line is parsed once, from its bytes, and its
 * strings (the SQL among them) are the same objects all the way to the tool.
 *
 * <p>Outbound messages are queued and written by one thread, as the SDK's transport does: a
 * caller never blocks on a client that is slow to read stdout, and the guard keeps reading stdin
 * while answers wait, so neither side can stall the other through full pipes.
 */
final class GuardedStdioTransport implements McpServerTransportProvider {

    private final McpJsonMapper json;
    private final StdioGuard.WholeLineOutput out;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "safemigrate-stdout");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile McpServerSession session;
    private final Runnable afterToolsList;

    /** @param afterToolsList runs on the writing thread each time an answer to tools/list has been written */
    GuardedStdioTransport(McpJsonMapper json, StdioGuard.WholeLineOutput out, Runnable afterToolsList) {
        this.json = json;
        this.out = out;
        this.afterToolsList = afterToolsList;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        session = sessionFactory.create(new SessionTransport());
    }

    /**
     * One message that passed the guard: a JSON-RPC object with "jsonrpc": "2.0" and either a
     * string method or an id with a result or error. Told apart as the SDK's own transport does.
     *
     * @throws IllegalArgumentException when it does not bind to the SDK's message records
     */
    void receive(JsonNode message) {
        McpSchema.JSONRPCMessage m;
        try {
            m = message.has("method")
                    ? message.has("id") ? json.convertValue(message, McpSchema.JSONRPCRequest.class)
                    : json.convertValue(message, McpSchema.JSONRPCNotification.class)
                    : json.convertValue(message, McpSchema.JSONRPCResponse.class);
        } catch (RuntimeException e) {   // Jackson 3's exceptions are unchecked
            throw new IllegalArgumentException("not a JSON-RPC message the server can read: " + e.getMessage(), e);
        }
        session.handle(m).subscribe(null, e -> {
            if (!closing.get()) {
                System.err.println("safemigrate: handling a message failed: " + e);
            }
        });
    }

    /** stdin has ended: the session closes; answers already queued are still written. */
    void inputEnded() {
        closing.set(true);
        McpServerSession s = session;
        if (s != null) {
            s.close();
        }
        writer.shutdown();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null ? Mono.error(new IllegalStateException("No session to notify")) : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        McpServerSession s = session;
        return s == null ? Mono.empty() : s.closeGracefully();
    }

    private void write(McpSchema.JSONRPCMessage message) {
        try {
            String line = json.writeValueAsString(message);
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                // one message per line, whatever the serialiser does (Jackson escapes newlines inside strings)
                line = line.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
            }
            out.writeLine(line);
            if (message instanceof McpSchema.JSONRPCResponse r && r.result() instanceof McpSchema.ListToolsResult) {
                afterToolsList.run();
            }
        } catch (IOException e) {
            if (!closing.get()) {
                System.err.println("safemigrate: writing to stdout failed: " + e);
            }
        }
    }

    /** The single session's side: what the SDK's session calls to answer and to ask the client. */
    private final class SessionTransport implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                try {
                    writer.execute(() -> write(message));
                } catch (RejectedExecutionException e) {
                    throw new IllegalStateException("stdout is closed: the client has gone", e);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public void close() {
            closing.set(true);
            writer.shutdown();
        }
    }
}
