package dev.safemigrate.mcp;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Finds the top-level {@code "id"} of a JSON object from its bytes, written to it in pieces of any
 * size, in constant memory: a line over the size limit is never kept, yet its refusal must carry
 * its id, and clients put it anywhere (the TypeScript SDK writes it last, after the params).
 * Only nesting depth, string and escape state, and a bounded copy of the current top-level key and
 * of the id's value are held. It is a skim, not a validator: a line broken after its id may
 * still give it, which only helps the client match the refusal to its request.
 */
final class TopLevelIdSkimmer extends OutputStream {

    /** The longest id taken, as written (quotes and escapes included); a longer one is not echoed back cut. */
    static final int MAX_ID_BYTES = 1024;

    /** Longer than any spelling of "id", escapes included; a longer key is some other key. */
    private static final int MAX_KEY_BYTES = 64;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private enum Expect { OBJECT, KEY, COLON, VALUE, SCALAR, COMMA, NOTHING }

    private enum Capture { NONE, KEY, ID }

    private Expect expect = Expect.OBJECT;
    private Capture capture = Capture.NONE;
    private boolean failed;
    private long depth;
    private boolean inString;
    private boolean escaped;
    private boolean keyIsId;
    private boolean overflow;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private JsonNode id;

    @Override
    public void write(int b) {
        skim((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !failed; i++) {
            skim(b[i]);
        }
    }

    /** @return the last top-level "id" read, as a number or a string; null when there is none or the bytes are not a JSON object */
    JsonNode id() {
        if (capture == Capture.ID && expect == Expect.SCALAR) {
            endId();   // the bytes ended right after a scalar id, as in a cut line
        }
        return failed ? null : id;
    }

    private void skim(byte b) {
        if (failed) {
            return;
        }
        if (inString) {
            inString(b);
        } else if (depth >= 2) {
            nested(b);
        } else {
            topLevel(b);
        }
    }

    private void inString(byte b) {
        if (escaped) {
            escaped = false;
        } else if (b == '\\') {
            escaped = true;
        } else if (b == '"') {
            inString = false;
            if (depth == 1) {
                stringEnded();
            }
            return;
        }
        keep(b);
    }

    private void nested(byte b) {
        if (b == '"') {
            inString = true;
        } else if (b == '{' || b == '[') {
            depth++;
        } else if ((b == '}' || b == ']') && --depth == 1) {
            expect = Expect.COMMA;
        }
    }

    private void topLevel(byte b) {
        if (expect == Expect.SCALAR) {
            if (!endsScalar(b)) {
                keep(b);
                return;
            }
            if (capture == Capture.ID) {
                endId();
            }
            expect = Expect.COMMA;
        }
        if (whitespace(b)) {
            return;
        }
        switch (expect) {
            case OBJECT -> {
                if (b == '{') {
                    depth = 1;
                    expect = Expect.KEY;
                } else {
                    failed = true;
                }
            }
            case KEY -> {
                if (b == '"') {
                    start(Capture.KEY);
                    inString = true;
                } else if (b == '}') {
                    objectEnded();
                } else {
                    failed = true;
                }
            }
            case COLON -> {
                if (b == ':') {
                    expect = Expect.VALUE;
                } else {
                    failed = true;
                }
            }
            case VALUE -> value(b);
            case COMMA -> {
                if (b == ',') {
                    expect = Expect.KEY;
                } else if (b == '}') {
                    objectEnded();
                } else {
                    failed = true;
                }
            }
            case NOTHING -> failed = true;   // bytes after the object: the line is not one JSON value
            default -> throw new IllegalStateException(expect.name());
        }
    }

    private void value(byte b) {
        if (keyIsId) {
            id = null;   // a repeated "id" replaces the one before, as when the line is parsed whole
        }
        if (b == '{' || b == '[') {
            depth = 2;   // an object or array is no valid id: it stays null
        } else if (b == '"') {
            start(keyIsId ? Capture.ID : Capture.NONE);
            keep(b);
            inString = true;
        } else if (b == '}' || b == ',' || b == ':' || b == ']') {
            failed = true;
        } else {
            start(keyIsId ? Capture.ID : Capture.NONE);
            keep(b);
            expect = Expect.SCALAR;
        }
    }

    private void stringEnded() {
        if (capture == Capture.KEY) {
            keyIsId = isId();
            capture = Capture.NONE;
            expect = Expect.COLON;
        } else {
            if (capture == Capture.ID) {
                keep((byte) '"');
                endId();
            }
            expect = Expect.COMMA;
        }
    }

    private void objectEnded() {
        depth = 0;
        expect = Expect.NOTHING;
    }

    private void start(Capture what) {
        capture = what;
        captured.reset();
        overflow = false;
    }

    private void keep(byte b) {
        if (capture == Capture.NONE) {
            return;
        }
        if (captured.size() < (capture == Capture.KEY ? MAX_KEY_BYTES : MAX_ID_BYTES)) {
            captured.write(b);
        } else {
            overflow = true;
        }
    }

    private boolean isId() {
        if (overflow) {
            return false;
        }
        byte[] key = captured.toByteArray();
        if (key.length == 2 && key[0] == 'i' && key[1] == 'd') {
            return true;
        }
        for (byte k : key) {
            if (k == '\\') {
                // a key spelled with escapes is still "id", as the parser of a whole line reads it
                JsonNode decoded = decode(("\"" + new String(key, StandardCharsets.UTF_8) + "\"").getBytes(StandardCharsets.UTF_8));
                return decoded != null && decoded.isString() && decoded.asString().equals("id");
            }
        }
        return false;
    }

    private void endId() {
        JsonNode value = overflow ? null : decode(captured.toByteArray());
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            id = JsonNodeFactory.instance.numberNode(value.longValue());
        } else if (value != null && value.isString()) {
            id = value;
        } else {
            id = null;
        }
        capture = Capture.NONE;
    }

    private static JsonNode decode(byte[] token) {
        try {
            return JSON.readTree(token);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean endsScalar(byte b) {
        return whitespace(b) || b == ',' || b == '}' || b == ']' || b == '{' || b == '[' || b == '"' || b == ':';
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
