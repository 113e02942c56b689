package dev.safemigrate.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void aLineOverTheLimitIsSkippedInBoundedMemoryAndTheNextLineIsRead() throws Exception {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":{\"sql\":\""
                + "x".repeat(5000) + "\"}}\n{\"next\":1}\r\n").getBytes(StandardCharsets.UTF_8);
        BoundedLines lines = new BoundedLines(new java.io.ByteArrayInputStream(big), 1000);
        BoundedLines.Line first = lines.next();
        assertTrue(first.oversized());
        org.junit.jupiter.api.Assertions.assertEquals(big.length - "{\"next\":1}\r\n".length() - 1, first.bytes());
        assertTrue(first.prefix().length <= BoundedLines.PREFIX);
        org.junit.jupiter.api.Assertions.assertEquals("{\"next\":1}", lines.next().text());
        assertNull(lines.next());

        String error = StdioGuard.tooLarge(first);
        assertTrue(error.contains("\"id\":41") && error.contains("-32600") && error.contains("16 MiB")
                && error.contains("Split the migration"), error);
    }

    @Test
    void anOversizedMessageNamesItsToolOnlyFromItsStartAndCountsAsAPossibleToolCallWhenItsMethodIsCut() {
        StdioGuard.StartOfMessage call = start("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"create_migration\",\"arguments\":{\"name\":\"x\",\"sql\":\"insert");
        assertEquals("tools/call", call.method());
        assertEquals("create_migration", call.tool());
        assertTrue(call.mayBeToolCall());
        // the name inside arguments is the migration's, not the tool's
        StdioGuard.StartOfMessage argumentsFirst = start("{\"params\":{\"arguments\":{\"name\":\"drop_all\",\"sql\":\"x");
        assertNull(argumentsFirst.tool());
        assertNull(argumentsFirst.method());
        assertTrue(argumentsFirst.mayBeToolCall(), "a cut before the method may hide a tool call: it is audited");
        StdioGuard.StartOfMessage ping = start("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":{\"pad\":\"xx");
        assertEquals("ping", ping.method());
        assertFalse(ping.mayBeToolCall());
        assertTrue(start("not json").mayBeToolCall());
    }

    private static StdioGuard.StartOfMessage start(String prefix) {
        return StdioGuard.StartOfMessage.read(prefix.getBytes(StandardCharsets.UTF_8));
    }
}
