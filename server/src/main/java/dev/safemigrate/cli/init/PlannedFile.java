package dev.safemigrate.cli.init;

import java.nio.file.Path;

/**
 * One file init looks after, and what it will do to it.
 *
 * @param content the file's new content, or null to leave it exactly as it is
 * @param change  what happens, for the person: "created", "added …", "unchanged: …"
 */
public record PlannedFile(Path path, String content, String change) {

    static PlannedFile unchanged(Path path, String why) {
        return new PlannedFile(path, null, "unchanged: " + why);
    }

    public boolean changes() {
        return content != null;
    }
}
