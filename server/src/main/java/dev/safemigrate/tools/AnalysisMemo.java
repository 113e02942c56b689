package dev.safemigrate.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.safemigrate.analysis.MigrationAnalysis;

/**
 * The analyses of the last calls' migration files, in this server process's memory, so that the
 * apply after a dry run does not analyse every pending file a second time. The key is the exact
 * text (compared character by character, never by a hash alone) and the database name the
 * analysis compared statements with: the analysis is a pure function of the two, so a file edited
 * by even one byte is analysed afresh. Bounded by the characters held; the least recently used go first.
 */
final class AnalysisMemo {

    /**
     * At most ~8 MB of migration text (2 bytes a character) and its analyses, which hold several
     * times that in statements and tokens: a project's whole history fits, while a single huge file
     * is analysed again rather than kept in the idle server's memory.
     */
    static final long MAX_CHARS = 4L << 20;

    private record Key(String text, String database) {}

    private final Map<Key, MigrationAnalysis> analyses = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    synchronized MigrationAnalysis analyze(String text, String database, Supplier<MigrationAnalysis> analysis) {
        Key key = new Key(text, database);
        MigrationAnalysis known = analyses.get(key);
        if (known != null) {
            return known;
        }
        MigrationAnalysis fresh = analysis.get();
        if (text.length() <= MAX_CHARS) {
            analyses.put(key, fresh);
            chars += text.length();
            var oldest = analyses.entrySet().iterator();
            while (chars > MAX_CHARS && oldest.hasNext()) {
                chars -= oldest.next().getKey().text().length();
                oldest.remove();
            }
        }
        return fresh;
    }
}
