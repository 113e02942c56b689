package dev.safemigrate.tools;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.safemigrate.analysis.Severity;

/**
 * Findings as an agent reads them first on a large history: how many of each severity and rule,
 * and the most severe few in one line each, with file and line. The findings themselves are
 * behind a call ({@code list: "findings"}).
 *
 * @param bySeverity every severity, in order from block to info, zeros included
 * @param byRule     most frequent first
 * @param top        the most severe few, e.g. {@code confirm db/migrations/V3__x.sql:4 [drop-column] drops …}
 */
public record FindingCounts(int total, Map<String, Integer> bySeverity, Map<String, Integer> byRule, List<String> top) {

    static final int TOP = 5;
    private static final int MESSAGE = 160;

    /** Most severe first, then in the order they occur: the order findings are paged in. */
    static final Comparator<MigrationFinding> MOST_SEVERE = Comparator.comparing(MigrationFinding::severity);

    static FindingCounts of(List<MigrationFinding> findings) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            bySeverity.put(s.id(), 0);
        }
        Map<String, Integer> rules = new TreeMap<>();
        for (MigrationFinding f : findings) {
            bySeverity.merge(f.severity().id(), 1, Integer::sum);
            rules.merge(f.rule(), 1, Integer::sum);
        }
        Map<String, Integer> byRule = rules.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        List<String> top = findings.stream().sorted(MOST_SEVERE).limit(TOP).map(FindingCounts::line).toList();
        return new FindingCounts(findings.size(), bySeverity, byRule, top);
    }

    static String line(MigrationFinding f) {
        String where = f.path() == null ? "line " + f.line() : f.path() + ":" + f.line();
        return f.severity().id() + " " + where + " [" + f.rule() + "] " + Budget.clip(f.message(), MESSAGE);
    }

    /** "2 confirm, 5 warn": the severities that occur, for one line of text. */
    String inWords() {
        String words = bySeverity.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        return words.isEmpty() ? "no findings" : words;
    }
}
