package dev.safemigrate.mcp;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StdioGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"status\"}}"})
    void wellFormedMessagesPass(String line) {
        assertNull(StdioGuard.problem(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"jsonrpc\":\"2.0\",\"id\":1,", "[]", "42", "{}",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":3}"})
    void malformedLinesGetAJsonRpcError(String line) {
        String error = StdioGuard.problem(line);
        assertTrue(error != null && error.contains("\"error\"") && error.contains("\"jsonrpc\":\"2.0\""), String.valueOf(error));
    }

    @Test
    void errorsKeepTheRequestIdWhenThereIsOne() {
        assertTrue(StdioGuard.problem("{\"jsonrpc\":\"2.0\",\"id\":7}").contains("\"id\":7"));
    }

    @Test
    void outputIsWrittenInWholeLines() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        StdioGuard.WholeLineOutput out = new StdioGuard.WholeLineOutput(sink);
        out.write("{\"a\":".getBytes(StandardCharsets.UTF_8));
        out.writeLine("{\"error\":1}");
        out.write("1}\n".getBytes(StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertEquals("{\"error\":1}\n{\"a\":1}\n", sink.toString(StandardCharsets.UTF_8));
    }
}
