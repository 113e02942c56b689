package dev.safemigrate.cli.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CLAUDE.md: what an agent in this project must know about changing the schema. Added once. */
final class ClaudeMdSection {

    static final String FILE = "CLAUDE.md";
    static final String BEGIN = "<!-- safemigrate:begin -->";
    static final String END = "<!-- safemigrate:end -->";

    /** The section between the markers of the repository's own CLAUDE.md, packaged in the jar: one text, two uses. */
    static final String SECTION = section();

    private ClaudeMdSection() {}

    private static String section() {
        try (InputStream in = ClaudeMdSection.class.getResourceAsStream("/claude/CLAUDE.md")) {
            if (in == null) {
                throw new IllegalStateException("CLAUDE.md is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException("CLAUDE.md in the jar has no " + BEGIN + " … " + END + " section");
            }
            return text.substring(begin, end + END.length()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PlannedFile plan(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (!Files.exists(file)) {
            return new PlannedFile(file, SECTION, "created with the safemigrate section");
        }
        String text = Files.readString(file);
        if (text.contains(BEGIN)) {
            return PlannedFile.unchanged(file, "already has the safemigrate section");
        }
        String separator = text.isEmpty() ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
        return new PlannedFile(file, text + separator + SECTION, "appended the safemigrate section");
    }
}
