package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the labeled corpus (resources analysis/corpus.tsv): each case is a migration with the kind
 * of each statement and exactly the findings (rule/severity) it must produce — no more, no fewer.
 * The corpus is analysed as migrations for the development database {@code app_dev}.
 */
class AnalysisCorpusTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();
    static final String DEV_DATABASE = "app_dev";

    record Case(int line, String kinds, String findings, String sql) {
        @Override
        public String toString() {
            return "corpus:" + line + " " + sql.replace('\n', ' ');
        }
    }

    static Stream<Arguments> cases() throws IOException {
        return corpus().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void producesExactlyTheLabeledKindsAndFindings(Case c) {
        MigrationAnalysis analysis = ANALYZER.analyze(c.sql(), DEV_DATABASE);
        String kinds = analysis.statements().stream().map(StatementAnalysis::kind).collect(Collectors.joining(","));
        assertEquals(c.kinds(), kinds, "kinds of " + c);
        Set<String> expected = c.findings().equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(c.findings().split(",")));
        Set<String> actual = analysis.findings().stream().map(f -> f.rule() + "/" + f.severity().id())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, actual, "findings of " + c);
    }

    @Test
    void corpusIsLargeAndCoversEveryRuleBothWays() throws IOException {
        List<Case> cases = corpus();
        assertTrue(cases.size() >= 150, "corpus has " + cases.size() + " cases");
        for (String id : dev.safemigrate.analysis.rules.RuleSet.ids()) {
            assertTrue(cases.stream().anyMatch(c -> c.findings().matches("(.*,)?" + id + "/.*")), "no unsafe case for " + id);
        }
        assertTrue(cases.stream().filter(c -> c.findings().equals("-")).count() >= 60, "too few safe cases");
    }

    static List<Case> corpus() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = AnalysisCorpusTest.class.getResourceAsStream("/analysis/corpus.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] cols = lines[i].split("\t", 3);
                out.add(new Case(i + 1, cols[0], cols[1], dev.safemigrate.testing.CorpusText.unescape(cols[2])));
            }
        }
        return out;
    }
}
