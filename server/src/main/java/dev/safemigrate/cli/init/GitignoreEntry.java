package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** .gitignore: the embedded database, backups and audit log under .safemigrate/ stay out of git. */
final class GitignoreEntry {

    static final String FILE = ".gitignore";
    static final String ENTRY = ".safemigrate/";
    private static final Set<String> EQUIVALENT = Set.of(".safemigrate", ".safemigrate/", "/.safemigrate",
            "/.safemigrate/", ".safemigrate/*", "/.safemigrate/*", ".safemigrate/**", "/.safemigrate/**");

    private GitignoreEntry() {}

    static PlannedFile plan(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (!Files.exists(file)) {
            return new PlannedFile(file, ENTRY + "\n", "created, ignoring " + ENTRY);
        }
        String text = Files.readString(file);
        if (text.lines().map(String::strip).anyMatch(EQUIVALENT::contains)) {
            return PlannedFile.unchanged(file, "already ignores " + ENTRY);
        }
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return new PlannedFile(file, text + separator + ENTRY + "\n", "added " + ENTRY);
    }
}
