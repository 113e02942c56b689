package dev.safemigrate.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands between stdin/stdout and the SDK. The SDK's own stdio transport stops reading after a
 * line it cannot parse or one over its size limit, which would leave an agent hanging for good;
 * here a malformed line gets a JSON-RPC error (-32700 parse error, -32600 invalid request) and
 * never reaches the SDK, and a line over {@link #MAX_LINE_BYTES} is read in bounded memory,
 * skipped and answered. Each line is parsed once, from its bytes; the parsed message goes on to
 * the SDK's session through {@link GuardedStdioTransport}. Output lines are written whole, so
 * those errors and the SDK's own messages never interleave.
 */
public final class StdioGuard {

    /**
     * The longest line passed on: the limit the SDK's own transport has (16 MiB), which the tool
     * descriptions and the too-large error tell the agent.
     */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Told of tool calls no handler sees, so that each still gets its audit line: calls to tools
     * that do not exist (the SDK answers those itself) and messages over the size limit (answered
     * here, never parsed).
     */
    public interface RefusedCallListener {
        void unknownTool(String clientName, String clientVersion, String tool, Map<String, Object> arguments);

        /** @param tool the tool named before the cut, or null when the message's start does not name one */
        void tooLarge(String clientName, String clientVersion, String tool, long bytes);
    }

    private StdioGuard() {}

    /**
     * Starts reading stdin on a thread of its own.
     *
     * @param onToolCall runs when a tools/call request is read, before the SDK sees it
     * @param onEnd      runs once stdin is closed and the SDK has been told
     */
    static void start(InputStream rawIn, WholeLineOutput out, GuardedStdioTransport sdk, Set<String> knownTools,
                      RefusedCallListener refusedCalls, Runnable onToolCall, Runnable onEnd) {
        Watcher watcher = new Watcher(knownTools, refusedCalls, onToolCall);
        Thread reader = new Thread(() -> forward(rawIn, sdk, out, watcher, onEnd), "safemigrate-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private static void forward(InputStream rawIn, GuardedStdioTransport sdk, WholeLineOutput out, Watcher watcher,
                                Runnable onEnd) {
        try (rawIn) {
            BoundedLines lines = new BoundedLines(rawIn, MAX_LINE_BYTES);
            for (BoundedLines.Line read; (read = lines.next()) != null; ) {
                if (read.oversized()) {
                    out.writeLine(tooLarge(read));
                    watcher.tooLarge(read);
                    continue;
                }
                if (read.isBlank()) {
                    continue;
                }
                JsonNode node = parse(read.content());
                read = null;   // a large line's bytes are garbage from here on; its text lives in the tree
                String problem = node == null ? PARSE_ERROR : problem(node);
                if (problem == null) {
                    watcher.saw(node);
                    try {
                        sdk.receive(node);
                    } catch (IllegalArgumentException e) {
                        out.writeLine(error(node.get("id"), -32600, "Invalid Request: " + e.getMessage()));
                    }
                } else {
                    out.writeLine(problem);
                }
            }
        } catch (IOException e) {
            System.err.println("safemigrate: stdin failed: " + e.getMessage());
        } finally {
            sdk.inputEnded();
            onEnd.run();
        }
    }

    /** @return the JSON-RPC error response for a line the SDK must not see, or null when it is fine */
    static String problem(String line) {
        JsonNode node = parse(line.getBytes(StandardCharsets.UTF_8));
        return node == null ? PARSE_ERROR : problem(node);
    }

    private static final String PARSE_ERROR = error(null, -32700, "Parse error: the line is not JSON");

    static String tooLarge(BoundedLines.Line line) {
        return error(line.id(), -32600, "Request too large: this message is " + line.bytes()
                + " bytes, over the limit of 16 MiB (" + MAX_LINE_BYTES + " bytes) per message. Nothing was done. "
                + "Split the migration: call create_migration several times with smaller parts (e.g. one table, "
                + "or one batch of rows, per migration), or load large data some other way than migration SQL.");
    }

    /** What the start of a message says before a cut: the method and, for a tool call, the tool's name. */
    record StartOfMessage(String method, String tool) {

        /** A tool call, or a message whose start is cut before its method could be read: either may be one. */
        boolean mayBeToolCall() {
            return method == null || method.equals("tools/call");
        }

        static StartOfMessage read(byte[] prefix) {
            String method = null;
            String tool = null;
            try (JsonParser p = JSON.createParser(prefix)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new StartOfMessage(null, null);
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("method") && value == JsonToken.VALUE_STRING) {
                        method = p.getString();
                    } else if (name.equals("params") && value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String param = p.currentName();
                            if (p.nextToken() == JsonToken.VALUE_STRING && param.equals("name")) {
                                tool = p.getString();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (RuntimeException cut) {
                // the prefix ended inside a value: what was read before it stands
            }
            return new StartOfMessage(method, tool);
        }
    }

    private static JsonNode parse(byte[] line) {
        try {
            return JSON.readTree(line);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String problem(JsonNode node) {
        if (!node.isObject()) {
            return error(null, -32600, "Invalid Request: expected one JSON-RPC object per line (batches are not supported)");
        }
        JsonNode id = node.get("id");
        if (!"2.0".equals(node.path("jsonrpc").asString(""))) {
            return error(id, -32600, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
        }
        boolean request = node.has("method") && node.get("method").isString();
        boolean response = node.has("id") && (node.has("result") || node.has("error"));
        if (!request && !response) {
            return error(id, -32600, "Invalid Request: needs a string \"method\" (or be a response with \"result\"/\"error\")");
        }
        if (id != null && !(id.isString() || id.isIntegralNumber() || id.isNull())) {
            return error(null, -32600, "Invalid Request: \"id\" must be a string or an integer");
        }
        if (node.has("params") && !(node.get("params").isObject() || node.get("params").isArray())) {
            return error(id, -32602, "Invalid params: \"params\" must be an object");
        }
        return null;
    }

    private static String error(JsonNode id, int code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code);
        err.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id == null || id.isNull() ? null : (id.isIntegralNumber() ? (Object) id.longValue() : id.asString()));
        response.put("error", err);
        return JSON.writeValueAsString(response);
    }

    /**
     * Remembers the client from initialize and reports tools/call requests no handler sees: for
     * tools that do not exist, and over the size limit.
     */
    private static final class Watcher {
        private final Set<String> knownTools;
        private final RefusedCallListener listener;
        private final Runnable onToolCall;
        private String clientName;
        private String clientVersion;

        Watcher(Set<String> knownTools, RefusedCallListener listener, Runnable onToolCall) {
            this.knownTools = knownTools;
            this.listener = listener;
            this.onToolCall = onToolCall;
        }

        @SuppressWarnings("unchecked")
        void saw(JsonNode node) {
            String method = node.path("method").asString("");
            if (method.equals("initialize")) {
                clientName = node.path("params").path("clientInfo").path("name").asString(null);
                clientVersion = node.path("params").path("clientInfo").path("version").asString(null);
            } else if (method.equals("tools/call")) {
                onToolCall.run();
                String tool = node.path("params").path("name").asString("");
                if (!knownTools.contains(tool)) {
                    JsonNode args = node.path("params").path("arguments");
                    listener.unknownTool(clientName, clientVersion, tool,
                            args.isObject() ? JSON.convertValue(args, Map.class) : Map.of());
                }
            }
        }

        void tooLarge(BoundedLines.Line line) {
            StartOfMessage start = StartOfMessage.read(line.prefix());
            if (start.mayBeToolCall()) {
                listener.tooLarge(clientName, clientVersion, start.tool(), line.bytes());
            }
        }
    }

    /** Buffers each line and writes it in one piece under one lock. */
    static final class WholeLineOutput extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WholeLineOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            pending.write(b);
            if (b == '\n') {
                drain();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                pending.write(b[i]);
                if (b[i] == '\n') {
                    drain();
                }
            }
        }

        synchronized void writeLine(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void drain() throws IOException {
            pending.writeTo(out);
            pending.reset();
            out.flush();
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            drain();
            out.close();
        }
    }
}
