package dev.safemigrate.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;

/**
 * Reads the log line by line. Lines end at {@code \n} only: the writer never writes a raw
 * {@code \r}, so one in the file is part of a line (and an edit), not a line break.
 */
public final class AuditReader {

    /**
     * @param number     1-based line number in the file
     * @param terminated false for a last line without its newline: a torn write
     */
    public record RawLine(int number, String text, boolean terminated) {}

    /** A line parsed for display; {@code entry} is null when the line is not an entry. */
    public record Line(int number, String text, AuditEntry entry, String problem) {}

    public interface LineConsumer {
        void accept(RawLine line) throws IOException;
    }

    private AuditReader() {}

    /** Streams the lines of the log; a missing file has none. */
    public static void forEachLine(Path file, LineConsumer consumer) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 0;
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    consumer.accept(new RawLine(++number, line.toString(StandardCharsets.UTF_8), true));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                consumer.accept(new RawLine(++number, line.toString(StandardCharsets.UTF_8), false));
            }
        }
    }

    public static List<Line> read(Path file) throws IOException {
        List<Line> out = new ArrayList<>();
        forEachLine(file, raw -> {
            try {
                out.add(new Line(raw.number(), raw.text(), AuditLine.parse(raw.text()), null));
            } catch (JacksonException e) {
                out.add(new Line(raw.number(), raw.text(), null, "not a JSON audit entry: " + e.getOriginalMessage()));
            }
        });
        return out;
    }
}
