package dev.safemigrate.migrations;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Flyway's checksum of a SQL migration: CRC32 over each line's UTF-8 bytes, line endings
 * excluded and a leading BOM dropped, so CRLF and LF copies of a file agree. Computed here so
 * create_migration answers without starting Flyway; tests compare it with Flyway's own.
 *
 * <p>Flyway reads the lines with {@code BufferedReader.readLine}, whose terminators are {@code \n},
 * {@code \r} and {@code \r\n}, and encodes each line on its own. Every {@code \r} and {@code \n} is
 * part of a terminator and no UTF-8 sequence holds those bytes, so the concatenated lines are the
 * whole text's UTF-8 bytes without them: encoded once, with no string per line (a 15 MB migration
 * has 140,000 lines). {@code FlywayChecksumTest} compares it with the line-by-line reading.
 */
public final class FlywayChecksum {

    private FlywayChecksum() {}

    public static int of(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        // U+FEFF in UTF-8; String.getBytes writes exactly these three bytes for a leading BOM
        int from = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        CRC32 crc = new CRC32();
        int run = from;
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                crc.update(bytes, run, i - run);
                run = i + 1;
            }
        }
        crc.update(bytes, run, bytes.length - run);
        return (int) crc.getValue();
    }
}
