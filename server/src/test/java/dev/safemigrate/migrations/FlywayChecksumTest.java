package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/** The one-pass checksum against Flyway's reading: line by line, each line encoded on its own. */
class FlywayChecksumTest {

    /** What Flyway does (and what FlywayChecksum did before): BufferedReader lines, a leading BOM dropped. */
    static int lineByLine(String content) {
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

    @Test
    void equalsTheLineByLineReadingOnEdgeCases() {
        List<String> cases = List.of("", "\n", "\r", "\r\n", "\n\r", "\uFEFF", "\uFEFF\n", "\uFEFF\uFEFFa", "a\uFEFF",
                "\n\uFEFFa", "select 1;", "select 1;\r\nselect 2;\rselect 3;\n\n\r\r\n", "é\n€\r\n\uD83D\uDE00",
                "\uD800\n\uDC00", "\uDC00\uD800", "a\u2028b\u0085c\u000Bd\fe", "x\r", "\r\r\n\n", "\t \n \t");
        for (String c : cases) {
            assertEquals(lineByLine(c), FlywayChecksum.of(c), () -> "for " + c.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void equalsTheLineByLineReadingOnGeneratedText() {
        Random random = new Random(13);
        String[] pieces = {"\n", "\r", "\r\n", "\uFEFF", "é", "€", "\uD83D\uDE00", "\uD800", "\uDC00", "insert into t values (1);",
                "--", "'", " ", "\u0000", "\u2028"};
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < 3000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            texts.add(sb.toString());
        }
        for (String text : texts) {
            assertEquals(lineByLine(text), FlywayChecksum.of(text));
        }
    }

    @Test
    void aChangedLineChangesIt() {
        assertNotEquals(FlywayChecksum.of("create table t (id int);\n"), FlywayChecksum.of("create table t (id bigint);\n"));
    }
}
