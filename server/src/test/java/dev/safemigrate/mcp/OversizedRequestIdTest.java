package dev.safemigrate.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A line over the limit is refused with the id of its request wherever the id stands in it: the
 * TypeScript SDK writes it last, after megabytes of params, and a refusal without it leaves the
 * client waiting for its own timeout. Each case is read whole, in 7-byte reads and one byte at a
 * time, so that every token also arrives split across reads.
 */
class OversizedRequestIdTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LIMIT = 1000;
    /** Longer than the kept prefix, and than the 64 KiB read buffer: an id after it is read past both. */
    private static final String PAD = "insert into t values (1);".repeat(6000);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void oversizedRequestWithIdFirstIsAnsweredWithThatId(int readSize) throws Exception {
        assertEquals("41", replyId("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"create_migration\",\"arguments\":{\"sql\":\"PAD\"}}}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void oversizedRequestWithIdLastIsAnsweredWithThatId(int readSize) throws Exception {
        // exactly as the TypeScript SDK serialises a request: {...request, jsonrpc, id}
        assertEquals("7", replyId("{\"method\":\"tools/call\",\"params\":{\"name\":\"create_migration\","
                + "\"arguments\":{\"name\":\"huge\",\"sql\":\"PAD\"}},\"jsonrpc\":\"2.0\",\"id\":7}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void aStringIdIsEchoedAsAStringWithItsEscapesDecoded(int readSize) throws Exception {
        assertEquals("\"req-9\"", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":\"req-9\"}", readSize));
        // the escapes in the id (a quote, a backslash, a unicode escape) are decoded, then written back as JSON
        assertEquals("\"a\\\"b\\\\cé\"", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":\"a\\\"b\\\\c\\u00e9\"}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void anIdInsideParamsIsNotTheRequestsId(int readSize) throws Exception {
        assertEquals("null", replyId("{\"method\":\"tools/call\",\"params\":{\"id\":5,\"arguments\":{\"id\":6,"
                + "\"sql\":\"PAD\"}},\"jsonrpc\":\"2.0\"}", readSize));
        assertEquals("3", replyId("{\"id\":3,\"params\":{\"id\":5,\"sql\":\"PAD\"}}", readSize));
        assertEquals("9", replyId("{\"params\":{\"list\":[{\"id\":5},[{\"id\":6}]],\"sql\":\"PAD\"},\"id\":9}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void anIdSpelledInsideAStringIsNotTheRequestsId(int readSize) throws Exception {
        // the SQL holds the text ","id":66," with its quotes escaped, as JSON writes it
        assertEquals("8", replyId("{\"params\":{\"sql\":\"PAD \\\",\\\"id\\\":66,\\\"\"},\"id\":8}", readSize));
        assertEquals("null", replyId("{\"method\":\"x\",\"note\":\"\\\"id\\\":5,\",\"params\":{\"sql\":\"PAD\"}}", readSize));
        // "id" as a value, not a key
        assertEquals("null", replyId("{\"method\":\"id\",\"params\":{\"sql\":\"PAD\"}}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void aBackslashBeforeAClosingQuoteIsEscapedItselfAndEndsTheString(int readSize) throws Exception {
        // "PAD\\" ends at its last quote: an id after it is top level
        assertEquals("12", replyId("{\"params\":{\"sql\":\"PAD\\\\\\\\\"},\"id\":12}", readSize));
        // \\\" is a backslash then a quote, both inside the string: the "id" after it is text
        assertEquals("14", replyId("{\"params\":{\"sql\":\"PAD\\\\\\\",\\\"id\\\":13,\\\"\"},\"id\":14}", readSize));
        // the same in strings of the top-level object, where a wrong end of string would misread its keys
        assertEquals("15", replyId("{\"sql\":\"PAD\\\\\",\"id\":15}", readSize));
        assertEquals("16", replyId("{\"sql\":\"PAD\\\\\\\",\\\"id\\\":13,\\\"\",\"id\":16}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void multiByteUtf8AroundAndInTheIdIsReadIntact(int readSize) throws Exception {
        String text = "café 漢字 🐘 naïve ".repeat(12_000);
        assertEquals("\"ü-🐘-1\"", replyId("{\"params\":{\"sql\":\"" + text + "\"},\"ñ\":\"é\",\"id\":\"ü-🐘-1\"}", readSize));
        assertEquals("5", replyId("{\"params\":{\"sql\":\"" + text + "\"},\"id\":5,\"ñ\":\"" + text + "\"}", readSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void aLineWithoutAnIdOrThatIsNotOneJsonObjectIsAnsweredWithANullId(int readSize) throws Exception {
        assertEquals("null", replyId("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\",\"params\":{\"sql\":\"PAD\"}}", readSize));
        assertEquals("null", replyId("not json PAD \"id\":5", readSize));
        assertEquals("null", replyId("[{\"id\":5,\"params\":{\"sql\":\"PAD\"}}]", readSize));
        assertEquals("null", replyId("{\"id\":5,\"params\":{\"sql\":\"PAD\"}} {\"id\":6}", readSize));
        assertEquals("null", replyId("{\"id\":5, PAD", readSize));
    }

    @Test
    void anIdThatIsNoStringOrIntegerOrIsOverOneKibibyteIsNotEchoed() throws Exception {
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":{\"n\":1}}", 7));
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":[1]}", 7));
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":1.5}", 7));
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":true}", 7));
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":null}", 7));
        assertEquals("null", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":\"" + "x".repeat(1100) + "\"}", 7));
        String longest = "x".repeat(TopLevelIdSkimmer.MAX_ID_BYTES - 2);
        assertEquals("\"" + longest + "\"", replyId("{\"params\":{\"sql\":\"PAD\"},\"id\":\"" + longest + "\"}", 7));
    }

    @Test
    void anIdSpelledWithEscapesOrRepeatedIsReadAsAParserWouldReadIt() throws Exception {
        assertEquals("21", replyId("{\"params\":{\"sql\":\"PAD\"},\"\\u0069d\":21}", 7));
        assertEquals("\"second\"", replyId("{\"id\":1,\"params\":{\"sql\":\"PAD\"},\"id\":\"second\"}", 7));
        assertEquals("-3", replyId("{ \"params\" : { \"sql\" : \"PAD\" } ,\r\t\"id\" : -3 }\r", 7));
    }

    @Test
    void anIdSplitAtEachPointAcrossTheReadBufferIsReadWhole() throws Exception {
        for (int shift = 0; shift < 16; shift++) {
            String head = "{\"params\":{\"sql\":\"";
            String tail = "\"},\"id\":1234567}";
            // the 64 KiB read boundary falls before `"id":1234567`, at each of its bytes in turn, and after it
            int fill = 64 * 1024 - head.length() - 3 - 14 + shift;
            String line = head + "x".repeat(fill) + tail;
            assertEquals("1234567", replyIdOf(line, Integer.MAX_VALUE), "shift " + shift);
        }
    }

    @Test
    void aHundredMegabyteLineIsSkimmedWithoutKeepingIt() throws Exception {
        byte[] head = "{\"method\":\"tools/call\",\"params\":{\"arguments\":{\"sql\":\"".getBytes(UTF_8);
        byte[] tail = "\"}},\"jsonrpc\":\"2.0\",\"id\":424242}\n{\"next\":1}\n".getBytes(UTF_8);
        long size = 100_000_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

        BoundedLines lines = new BoundedLines(new Generated(head, size, tail), LIMIT);
        BoundedLines.Line big = lines.next();
        String reply = StdioGuard.tooLarge(big);

        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(big.oversized());
        assertEquals(head.length + size + tail.length - "\n{\"next\":1}\n".length(), big.bytes());
        assertEquals(424242, JSON.readTree(reply).path("id").asLong(), reply);
        assertEquals("{\"next\":1}", lines.next().text());
        assertTrue(allocated < 4 * 1024 * 1024, "reading 100 MB allocated " + allocated + " bytes");
    }

    /** @return the id of the too-large reply to {@code line} (PAD standing for enough text to be over the limit), as JSON */
    private static String replyId(String line, int readSize) throws IOException {
        return replyIdOf(line.replace("PAD", PAD), readSize);
    }

    private static String replyIdOf(String line, int readSize) throws IOException {
        byte[] bytes = (line + "\n{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}\n").getBytes(UTF_8);
        BoundedLines lines = new BoundedLines(new Trickle(bytes, readSize), LIMIT);
        BoundedLines.Line first = lines.next();
        assertTrue(first.oversized(), "the case must be over the limit");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}", lines.next().text(), "the next line is read whole");
        JsonNode reply = JSON.readTree(StdioGuard.tooLarge(first));
        assertEquals(-32600, reply.path("error").path("code").asInt());
        return JSON.writeValueAsString(reply.get("id"));
    }

    /** Hands out at most {@code readSize} bytes per read, as a pipe may. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int readSize;

        Trickle(byte[] bytes, int readSize) {
            this.in = new ByteArrayInputStream(bytes);
            this.readSize = readSize;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, readSize));
        }
    }

    /** head, then {@code size} bytes of SQL made up on the fly, then tail: no copy of the whole exists anywhere. */
    private static final class Generated extends InputStream {
        private static final byte[] SQL = "insert into t values ('x');".getBytes(UTF_8);
        private final byte[] head;
        private final byte[] tail;
        private final long size;
        private long pos;

        Generated(byte[] head, long size, byte[] tail) {
            this.head = head;
            this.size = size;
            this.tail = tail;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = head.length + size + tail.length;
            if (pos >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - pos);
            for (int i = 0; i < n; i++, pos++) {
                b[off + i] = pos < head.length ? head[(int) pos]
                        : pos < head.length + size ? SQL[(int) ((pos - head.length) % SQL.length)]
                        : tail[(int) (pos - head.length - size)];
            }
            return n;
        }
    }
}
