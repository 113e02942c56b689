package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.SchemaDiff;

class AtRiskTest {

    private static DryRunResult result(List<DryRunResult.DataAtRisk> atRisk, List<DryRunResult.Skipped> skipped) {
        return new DryRunResult(true, 3, List.of(), skipped, null, new SchemaDiff(List.of(), List.of(), List.of(), List.of()), atRisk);
    }

    private static final Map<String, String> PATHS = Map.of("2", "db/migrations/V2__x.sql");

    @Test
    void onlyWhatHoldsRowsHereOrWasNotTracedIsAsked() {
        DryRunResult r = result(List.of(
                new DryRunResult.DataAtRisk("2", 1, 1, "table public.empty", "table_rows", 0),
                new DryRunResult.DataAtRisk("2", 2, 2, "column public.t.note", "column_values", 7),
                new DryRunResult.DataAtRisk("2", 3, 3, "table public.t", "deleted_rows", 2),
                new DryRunResult.DataAtRisk("2", 4, 4, "table public.big", "rewritten_rows", 1000)),
                List.of(new DryRunResult.Skipped("2", "db/migrations/V2__x.sql", 5, 5, "it runs code")));
        List<AtRisk> asked = AtRisk.of(r, PATHS, Set.of());
        assertEquals(List.of(
                "7 non-null value(s) lost: drops column public.t.note",
                "2 row(s) deleted from table public.t",
                "1000 row(s) rewritten under an ACCESS EXCLUSIVE lock: table public.big",
                "not traced, so its effect here is unknown: it runs code"), asked.stream().map(AtRisk::what).toList());
        assertEquals("2/2/column_values/column public.t.note", asked.get(0).id());
    }

    @Test
    void aHarmlessUntracedStatementIsNotAsked() {
        DryRunResult r = result(List.of(), List.of(new DryRunResult.Skipped("2", "db/migrations/V2__x.sql", 1, 1,
                "PostgreSQL cannot run create_index inside a transaction")));
        assertEquals(List.of(), AtRisk.of(r, PATHS, Set.of("2/1")));
        assertEquals(1, AtRisk.of(r, PATHS, Set.of()).size());
    }

    @Test
    void idsAreStableAcrossRuns() {
        DryRunResult r = result(List.of(new DryRunResult.DataAtRisk("2", 1, 1, "table public.t", "table_rows", 3)), List.of());
        assertEquals(AtRisk.of(r, PATHS, Set.of()), AtRisk.of(r, PATHS, Set.of()));
    }
}
