package dev.safemigrate.backup;

import java.util.List;

/** Which backups to delete so only the newest {@code keep} remain. */
public final class Retention {

    private Retention() {}

    /** @param oldestFirst the backups, oldest first */
    public static <T> List<T> toRemove(List<T> oldestFirst, int keep) {
        int excess = oldestFirst.size() - keep;
        return excess <= 0 ? List.of() : List.copyOf(oldestFirst.subList(0, excess));
    }
}
