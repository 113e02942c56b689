package dev.safemigrate.migrations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Flyway's checksum of a SQL migration: CRC32 over each line's UTF-8 bytes, line endings
 * excluded and a leading BOM dropped, so CRLF and LF copies of a file agree. Computed here so
 * create_migration answers without starting Flyway; tests compare it with Flyway's own.
 */
public final class FlywayChecksum {

    private FlywayChecksum() {}

    public static int of(String content) {
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(new StringReader(content))) {
            String line = reader.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
