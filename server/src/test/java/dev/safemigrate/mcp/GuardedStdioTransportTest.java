package dev.safemigrate.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.server.McpSyncServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.tools.Project;

/** The stdio path as Main serves it (guard and transport, no SDK stdio transport), in process. */
class GuardedStdioTransportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;

    @Test
    void theSqlOfALargeCallIsWrittenExactlyAsSentAndTheServerKeepsServingUntilStdinCloses() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("guarded_stdio"), "");
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        CountDownLatch ended = new CountDownLatch(1);
        try (Project project = Project.open(p.config())) {
            McpSyncServer server = SafemigrateServer.serveStdio(Channels.newInputStream(toServer.source()),
                    Channels.newOutputStream(toClient.sink()), project, ended::countDown);
            OutputStream in = Channels.newOutputStream(toServer.sink());
            BufferedReader out = new BufferedReader(new InputStreamReader(Channels.newInputStream(toClient.source()), UTF_8));

            send(in, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion",
                    "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))));
            assertEquals("safemigrate", answer(out, 1).path("result").path("serverInfo").path("name").asString());
            send(in, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));

            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\n".getBytes(UTF_8));
            assertEquals(-32700, JSON.readTree(out.readLine()).path("error").path("code").asInt());

            // what JSON escapes and UTF-8 encodes must arrive unchanged: quotes, backslashes, CR LF, a
            // line separator, letters outside ASCII and outside the BMP; 300 kB so that it is read in many chunks
            StringBuilder sql = new StringBuilder("create table café (id bigint, note text default 'naïve \\ \" 🐘');\r\n");
            for (int i = 0; sql.length() < 300_000; i++) {
                sql.append("insert into café values (").append(i).append(", 'ligne\u2028").append(i).append(" ✓');\n");
            }
            send(in, Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/call", "params", Map.of("name", "create_migration",
                    "arguments", Map.of("name", "accents", "sql", sql.toString()))));
            JsonNode result = answer(out, 3).path("result");
            assertFalse(result.path("isError").asBoolean(), result.toString());
            Path written = root.resolve(result.path("structuredContent").path("path").asString());
            assertTrue(sql.toString().equals(Files.readString(written, UTF_8)), "the file differs from the SQL sent");

            send(in, Map.of("jsonrpc", "2.0", "id", 4, "method", "tools/call", "params", Map.of("name", "status",
                    "arguments", Map.of())));
            assertFalse(answer(out, 4).path("result").path("isError").asBoolean());

            in.close();
            assertTrue(ended.await(5, TimeUnit.SECONDS), "closing stdin was not noticed");
            server.close();
        }
    }

    private static void send(OutputStream in, Map<String, Object> message) throws IOException {
        in.write(JSON.writeValueAsBytes(message));
        in.write('\n');
        in.flush();
    }

    private static JsonNode answer(BufferedReader out, int id) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            JsonNode m = JSON.readTree(line);
            if (m.path("id").asInt(-1) == id && !m.has("method")) {
                return m;
            }
        }
        throw new AssertionError("stdout ended before the answer to " + id);
    }
}
