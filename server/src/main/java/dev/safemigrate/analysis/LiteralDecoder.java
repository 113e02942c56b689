package dev.safemigrate.analysis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the escapes of PostgreSQL literals into the value the server sees, so that rules compare
 * names and strings as the server will. Returns null where the server would raise an error
 * (an invalid escape, a code point it cannot store, a byte sequence that is not UTF-8).
 */
final class LiteralDecoder {

    private LiteralDecoder() {}

    /**
     * {@code E'…'} (and '…' with standard_conforming_strings off): {@code \b \f \n \r \t}, octal
     * {@code \ooo} and hex {@code \xhh} bytes, {@code \\uXXXX} and {@code \UXXXXXXXX} code points, and a
     * backslash before any other character stands for that character.
     */
    static String backslashEscapes(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int n = raw.length();
        int i = 0;
        while (i < n) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                int cp = raw.codePointAt(i);
                appendUtf8(bytes, cp);
                i += Character.charCount(cp);
                continue;
            }
            char e = raw.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = e - '0';
                    for (int k = 0; k < 2 && i < n && raw.charAt(i) >= '0' && raw.charAt(i) <= '7'; k++) {
                        v = v * 8 + (raw.charAt(i++) - '0');
                    }
                    bytes.write(v & 0xFF);
                }
                case 'x' -> {
                    int v = -1;
                    for (int k = 0; k < 2 && i < n && Character.digit(raw.charAt(i), 16) >= 0 && raw.charAt(i) < 128; k++) {
                        v = (v < 0 ? 0 : v * 16) + Character.digit(raw.charAt(i++), 16);
                    }
                    if (v < 0) {
                        bytes.write('x');   // "\x" without a hex digit is just x
                    } else {
                        bytes.write(v);
                    }
                }
                case 'u', 'U' -> {
                    int digits = e == 'u' ? 4 : 8;
                    int cp = hex(raw, i, digits);
                    if (cp < 0) {
                        return null;
                    }
                    i += digits;
                    if (Character.isHighSurrogate((char) cp) && cp <= 0xFFFF) {
                        int low = i + 1 < n && raw.charAt(i) == '\\' && raw.charAt(i + 1) == 'u' ? hex(raw, i + 2, 4) : -1;
                        if (low < 0 || !Character.isLowSurrogate((char) low)) {
                            return null;
                        }
                        cp = Character.toCodePoint((char) cp, (char) low);
                        i += 6;
                    }
                    if (!validCodePoint(cp)) {
                        return null;
                    }
                    appendUtf8(bytes, cp);
                }
                default -> {
                    int cp = raw.codePointAt(i - 1);
                    appendUtf8(bytes, cp);
                    i += Character.charCount(cp) - 1;
                }
            }
        }
        return utf8(bytes.toByteArray());
    }

    /**
     * {@code U&'…'} and {@code U&"…"}: the escape character followed by 4 hex digits, or by + and 6
     * hex digits, is that code point; doubled it stands for itself; anything else is an error.
     *
     * @param escape the UESCAPE character, or 0 when the UESCAPE clause itself is invalid
     */
    static String unicodeEscapes(String raw, char escape) {
        if (escape == 0) {
            return null;
        }
        if (raw.indexOf(escape) < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int n = raw.length();
        int i = 0;
        int pendingHigh = -1;
        while (i < n) {
            char c = raw.charAt(i);
            if (c != escape) {
                if (pendingHigh >= 0) {
                    return null;
                }
                out.append(c);
                i++;
                continue;
            }
            int cp;
            if (i + 1 < n && raw.charAt(i + 1) == escape) {
                if (pendingHigh >= 0) {
                    return null;
                }
                out.append(escape);
                i += 2;
                continue;
            } else if (i + 1 < n && raw.charAt(i + 1) == '+') {
                cp = hex(raw, i + 2, 6);
                i += 8;
            } else {
                cp = hex(raw, i + 1, 4);
                i += 5;
            }
            if (cp < 0) {
                return null;
            }
            if (pendingHigh >= 0) {
                if (!Character.isLowSurrogate((char) cp) || cp > 0xFFFF) {
                    return null;
                }
                out.appendCodePoint(Character.toCodePoint((char) pendingHigh, (char) cp));
                pendingHigh = -1;
            } else if (cp <= 0xFFFF && Character.isHighSurrogate((char) cp)) {
                pendingHigh = cp;
            } else if (!validCodePoint(cp)) {
                return null;
            } else {
                out.appendCodePoint(cp);
            }
        }
        return pendingHigh >= 0 ? null : out.toString();
    }

    private static boolean validCodePoint(int cp) {
        return cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }

    /** The value of exactly {@code digits} hex digits at i, or -1. */
    private static int hex(String s, int i, int digits) {
        if (i + digits > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + digits; k++) {
            char c = s.charAt(k);
            int d = c < 128 ? Character.digit(c, 16) : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static void appendUtf8(ByteArrayOutputStream out, int cp) {
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** The bytes as UTF-8, or null if they are not valid UTF-8 or hold a zero byte (PostgreSQL rejects both). */
    private static String utf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
