package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Judging statements a chunk at a time as they are read, and releasing their tokens once judged,
 * changes nothing: the analysis equals the reference's, which reads the whole file first and keeps
 * every token, statically, with catalog facts, and from a first reading with facts added, over the
 * corpus, the boundary fragments, generated migrations and a large generated file; with chunks of
 * one statement, of a few, and in parallel.
 */
class StreamingAnalysisTest {

    // a budget no statement here exhausts: a parse that times out in one reading and not the other is load, not a difference
    private final MigrationAnalyzer reference = new MigrationAnalyzer(5_000, Integer.MAX_VALUE, 0);
    private final List<MigrationAnalyzer> streamed = List.of(new MigrationAnalyzer(5_000, Integer.MAX_VALUE, 1),
            new MigrationAnalyzer(5_000, Integer.MAX_VALUE, 3), new MigrationAnalyzer(5_000, 1, 7),
            new MigrationAnalyzer(5_000, Integer.MAX_VALUE, MigrationAnalyzer.CHUNK));

    /** What later statements and the migration rules ask of earlier ones' tokens, each in a chunk of its own. */
    private static final String ACROSS_CHUNKS = """
            create table t (id bigint primary key, name text);
            alter table users add constraint users_name_nn check (name is not null) not valid;
            insert into users (id, name) values (1, 'a') returning id;
            with x as (insert into users (id, name) values (2, 'b') returning id) select * from x;
            alter table users validate constraint users_name_nn;
            alter table users alter column name set not null;
            alter table orders add constraint orders_name_nn check (name is not null) not valid;
            alter table orders alter column name set not null;
            alter table accounts add constraint accounts_nn check (name is not null);
            alter table accounts alter column name set not null;
            update users set name = 'x' returning *;
            """;

    @Test
    void everyInputIsAnalysedAsWhenReadWhole() {
        List<String> inputs = new ArrayList<>(AnalysisInputs.all());
        inputs.add(ACROSS_CHUNKS);
        for (String sql : inputs) {
            MigrationAnalysis whole = reference.analyze(sql, "app_dev");
            CatalogFacts facts = IncrementalAnalysisTest.factsForEveryTarget(whole);
            MigrationAnalysis wholeWithFacts = reference.analyze(sql, "app_dev", facts);
            for (MigrationAnalyzer analyzer : streamed) {
                assertEquals(whole, analyzer.analyze(sql, "app_dev"), sql);
                assertEquals(wholeWithFacts, analyzer.analyze(sql, "app_dev", facts), sql);
                FirstReading first = analyzer.read(sql, "app_dev");
                assertEquals(whole, first.analysis(), sql);
                assertEquals(wholeWithFacts, analyzer.withFacts(first, facts), sql);
                // a first reading serves more than one judging: its tokens, released, are lexed again each time
                assertEquals(wholeWithFacts, analyzer.withFacts(first, facts), sql);
            }
        }
    }

    @Test
    void theStatementsAcrossChunksAreJudgedWithWhatEarlierOnesProved() {
        MigrationAnalysis a = new MigrationAnalyzer(5_000, Integer.MAX_VALUE, 1).analyze(ACROSS_CHUNKS, "app_dev");
        // the statements' own RETURNING, found before their tokens went: the INSERT's, the UPDATE's, not the WITH's
        assertEquals(List.of(3, 11), a.statements().stream().filter(StatementAnalysis::returning)
                .map(StatementAnalysis::index).toList());
        assertEquals(a, reference.analyze(ACROSS_CHUNKS, "app_dev"));
    }

    @Test
    void aLargeGeneratedFileIsAnalysedAsWhenReadWhole() {
        Random random = new Random(AnalysisInputs.SEED + 1);
        StringBuilder b = new StringBuilder(ACROSS_CHUNKS);
        while (b.length() < 400_000) {
            b.append(AnalysisInputs.generatedMigration(random));
        }
        String sql = b.toString();
        MigrationAnalysis whole = reference.analyze(sql, "app_dev");
        assertTrue(whole.statements().size() >= 3 * MigrationAnalyzer.CHUNK, whole.statements().size() + " statements");
        MigrationAnalyzer byDefault = new MigrationAnalyzer(5_000);
        assertEquals(whole, byDefault.analyze(sql, "app_dev"));
        CatalogFacts facts = IncrementalAnalysisTest.factsForEveryTarget(whole);
        MigrationAnalysis withFacts = reference.analyze(sql, "app_dev", facts);
        assertEquals(withFacts, byDefault.analyze(sql, "app_dev", facts));
        assertEquals(withFacts, byDefault.withFacts(byDefault.read(sql, "app_dev"), facts));
    }

    @Test
    void releasedTokensAreLexedAgainTheSame() {
        for (String sql : AnalysisInputs.all()) {
            for (SqlStatement s : SqlSplitter.split(sql)) {
                StatementTokens t = StatementTokens.of(s);
                List<SqlToken> lexed = List.copyOf(t.list());
                t.release();
                assertEquals(lexed, t.list(), s.text());
                assertEquals(lexed.size(), t.size(), s.text());
            }
        }
    }
}
