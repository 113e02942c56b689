package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Reading statements on several threads changes nothing: the analysis equals the one-thread
 * analysis, finding for finding and in order, over the corpus, the boundary fragments and generated
 * migrations (each read in parallel however small), and over large generated files at the default
 * threshold, statically and with catalog facts.
 */
class ParallelReadingTest {

    // a budget no statement here exhausts: a parse that times out in one reading and not the other is load, not a difference
    private final MigrationAnalyzer sequential = new MigrationAnalyzer(5_000, Integer.MAX_VALUE);
    private final MigrationAnalyzer alwaysParallel = new MigrationAnalyzer(5_000, 1);
    private final MigrationAnalyzer byDefault = new MigrationAnalyzer(5_000, MigrationAnalyzer.PARALLEL_FROM);

    @Test
    void everyInputReadInParallelIsAnalysedAsOnOneThread() {
        for (String sql : AnalysisInputs.all()) {
            MigrationAnalysis one = sequential.analyze(sql, "app_dev");
            assertEquals(one, alwaysParallel.analyze(sql, "app_dev"), sql);
            CatalogFacts facts = IncrementalAnalysisTest.factsForEveryTarget(one);
            assertEquals(sequential.analyze(sql, "app_dev", facts), alwaysParallel.analyze(sql, "app_dev", facts), sql);
        }
    }

    @Test
    void aLargeGeneratedFileIsAnalysedAsOnOneThread() {
        Random random = new Random(AnalysisInputs.SEED);
        StringBuilder b = new StringBuilder();
        while (b.length() < 600_000) {
            b.append(AnalysisInputs.generatedMigration(random));
        }
        String sql = b.toString();
        MigrationAnalysis one = sequential.analyze(sql, "app_dev");
        assertTrue(one.statements().size() >= 2 * MigrationAnalyzer.PARALLEL_FROM, one.statements().size() + " statements");
        assertTrue(one.findings().size() > 1000, "the file has findings of many rules: " + one.ruleIds());
        assertEquals(one, byDefault.analyze(sql, "app_dev"));
        CatalogFacts facts = IncrementalAnalysisTest.factsForEveryTarget(one);
        MigrationAnalysis withFacts = sequential.analyze(sql, "app_dev", facts);
        assertEquals(withFacts, byDefault.analyze(sql, "app_dev", facts));
        assertEquals(withFacts, byDefault.withFacts(byDefault.read(sql, "app_dev"), facts));
    }
}
