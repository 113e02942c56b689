package dev.safemigrate.analysis.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;

/**
 * Each rule's own test: its doc page docs/rules/&lt;id&gt;.md exists, its "Bad" example produces
 * exactly that rule id at the documented severity, and its "Good" example does not produce it.
 */
class RuleDocsTest {

    private static final Path DOCS = Path.of("..", "docs", "rules");
    private static final Pattern SQL_BLOCK = Pattern.compile("(?s)```sql\n(.*?)```");
    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    static Stream<String> ids() {
        return RuleSet.ids().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void badExampleTriggersTheRuleAndGoodExampleDoesNot(String id) throws IOException {
        String page = Files.readString(DOCS.resolve(id + ".md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = SQL_BLOCK.matcher(page);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertEquals(2, blocks.size(), id + ": a Bad and a Good example");
        MigrationAnalysis bad = ANALYZER.analyze(blocks.get(0));
        assertTrue(bad.ruleIds().contains(id), id + " not found in its bad example: " + bad.ruleIds());
        String severity = bad.findings().stream().filter(f -> f.rule().equals(id)).findFirst().orElseThrow().severity().id();
        assertTrue(page.contains("Severity: **" + severity + " "), id + " page states another severity than " + severity);
        MigrationAnalysis good = ANALYZER.analyze(blocks.get(1));
        assertFalse(good.ruleIds().contains(id), id + " found in its good example");
    }

    @Test
    void ruleIdsAreUniqueAndEveryPageBelongsToARule() throws IOException {
        assertEquals(RuleSet.ids().size(), new HashSet<>(RuleSet.ids()).size());
        try (Stream<Path> pages = Files.list(DOCS)) {
            List<String> documented = pages.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md"))
                    .map(n -> n.replace(".md", "")).sorted().toList();
            assertEquals(RuleSet.ids().stream().sorted().toList(), documented);
        }
    }
}
