package dev.safemigrate.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.JsonNode;

/**
 * Reads newline-terminated lines from a stream in bounded memory: a line longer than the limit is
 * consumed to its end without being kept, and reported by its size, its first bytes and its
 * top-level id (skimmed from all of its bytes as they pass). An unbounded read would let one line
 * exhaust the heap, or (behind the SDK's own limit) silence the server for good.
 */
final class BoundedLines {

    /** How much of an oversized line is kept, to read its method and tool from its start. */
    static final int PREFIX = 64 * 1024;

    /**
     * One line: its bytes as read (the JSON parser reads them directly, so a large line becomes
     * text once), or for a line over the limit its size, first bytes and top-level "id" (null when
     * it has none, or is not a JSON object).
     */
    record Line(byte[] content, long bytes, byte[] prefix, JsonNode id) {
        boolean oversized() {
            return content == null;
        }

        String text() {
            return content == null ? null : new String(content, StandardCharsets.UTF_8);
        }

        /** As {@link String#isBlank()} of its text, without decoding a line that starts with anything else. */
        boolean isBlank() {
            boolean ascii = true;
            for (byte b : content) {
                if (b < 0) {
                    ascii = false;
                } else if (!Character.isWhitespace(b)) {
                    return false;
                }
            }
            return ascii || text().isBlank();
        }
    }

    private final InputStream in;
    private final int limit;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int end;

    BoundedLines(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** @return the next line without its {@code \n} (and a {@code \r} before it), or null at the end of the stream */
    Line next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long bytes = 0;
        boolean oversized = false;
        byte[] prefix = null;
        TopLevelIdSkimmer skimmer = null;
        while (true) {
            if (pos == end) {
                end = in.read(buffer);
                pos = 0;
                if (end < 0) {
                    end = 0;
                    if (bytes == 0) {
                        return null;
                    }
                    break;
                }
            }
            int newline = -1;
            for (int i = pos; i < end; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int chunkEnd = newline < 0 ? end : newline;
            int n = chunkEnd - pos;
            bytes += n;
            if (oversized) {
                skimmer.write(buffer, pos, n);
            } else if (bytes > limit) {
                oversized = true;
                skimmer = new TopLevelIdSkimmer();
                line.writeTo(skimmer);
                skimmer.write(buffer, pos, n);
                line.write(buffer, pos, Math.min(n, Math.max(0, PREFIX - line.size())));
                prefix = Arrays.copyOf(line.toByteArray(), Math.min(line.size(), PREFIX));
                line = null;
            } else {
                line.write(buffer, pos, n);
            }
            pos = chunkEnd;
            if (newline >= 0) {
                pos++;
                break;
            }
        }
        if (oversized) {
            return new Line(null, bytes, prefix, skimmer.id());
        }
        byte[] content = line.toByteArray();
        if (content.length > 0 && content[content.length - 1] == '\r') {
            content = Arrays.copyOf(content, content.length - 1);
        }
        return new Line(content, bytes, null, null);
    }
}
