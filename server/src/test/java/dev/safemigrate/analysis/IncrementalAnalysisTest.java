package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.rules.Rule;
import dev.safemigrate.analysis.rules.RuleSet;

/**
 * The catalog-aware analysis from the first reading ({@link MigrationAnalyzer#withFacts}) is the
 * full analysis with the same facts, finding for finding and statement for statement: over the
 * corpus, the boundary fragments and generated migrations, with facts for every table they name.
 */
class IncrementalAnalysisTest {

    // a budget no statement here exhausts: a parse that times out in one reading and not the other is load, not a difference
    private final MigrationAnalyzer analyzer = new MigrationAnalyzer(5_000);

    @Test
    void withFactsFromTheFirstReadingEqualsTheFullAnalysisWithFacts() {
        int changedByFacts = 0;
        int inputs = 0;
        for (String sql : AnalysisInputs.all()) {
            for (String db : new String[] {"app_dev", null}) {
                FirstReading first = analyzer.read(sql, db);
                assertEquals(analyzer.analyze(sql, db), first.analysis(), "static reading of " + sql);
                CatalogFacts facts = factsForEveryTarget(first.analysis());
                MigrationAnalysis full = analyzer.analyze(sql, db, facts);
                assertEquals(full, analyzer.withFacts(first, facts), "with facts: " + sql);
                // factsApply's promise, on the same inputs: when it says no, the facts change nothing
                if (!MigrationAnalyzer.factsApply(first.analysis(), facts)) {
                    assertEquals(first.analysis(), full, "facts that do not apply changed " + sql);
                }
                changedByFacts += full.equals(first.analysis()) ? 0 : 1;
                inputs++;
            }
        }
        assertTrue(changedByFacts > 100, "the facts change the findings of " + changedByFacts + " of " + inputs + " inputs");
    }

    @Test
    void factsOfAnEmptyCatalogChangeNothing() {
        for (String sql : AnalysisInputs.all()) {
            FirstReading first = analyzer.read(sql, "app_dev");
            assertEquals(first.analysis(), analyzer.withFacts(first, new CatalogFacts("15.10", Map.of())), sql);
        }
    }

    /** A rule that reads the facts without saying so would be given none: its source must declare it. */
    @Test
    void everyRuleThatReadsCatalogFactsDeclaresIt() throws IOException {
        Path rules = Path.of("src", "main", "java", "dev", "safemigrate", "analysis", "rules");
        int declared = 0;
        for (Rule r : RuleSet.statementRules()) {
            String source = Files.readString(rules.resolve(r.getClass().getSimpleName() + ".java"));
            boolean reads = source.contains("targetFacts") || source.contains("sizeNote") || source.contains("CatalogTypeChange");
            assertEquals(reads, r.readsCatalogFacts(), r.getClass().getSimpleName());
            declared += r.readsCatalogFacts() ? 1 : 0;
        }
        assertTrue(declared >= 2, "the type-change and index rules read facts");
    }

    /** Facts for every table the statements name, with the columns the generated SQL uses. */
    static CatalogFacts factsForEveryTarget(MigrationAnalysis a) {
        Map<String, CatalogFacts.Table> tables = new HashMap<>();
        for (StatementAnalysis s : a.statements()) {
            for (String t : s.targets()) {
                String name = t.substring(t.lastIndexOf('.') + 1);
                tables.put(t, new CatalogFacts.Table("public", name, 80_000, 12_000_000,
                        Map.of("id", "bigint", "name", "character varying(20)", "email", "text", "v", "integer")));
            }
        }
        return new CatalogFacts("15.10", tables);
    }

}
