package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** create_migration skips the catalog-aware second reading exactly when it could not change anything. */
class FactsApplyTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();
    private static final CatalogFacts USERS = new CatalogFacts("15.10", Map.of("users",
            new CatalogFacts.Table("public", "users", 80_000, 12_000_000, Map.of("email", "text"))));

    @Test
    void factsAboutTablesTheSqlDoesNotTargetChangeNothing() {
        String sql = "create table imports (id bigint primary key, v text);\n"
                + "insert into imports values (1, 'a'), (2, pg_read_file('/etc/passwd'));\n"
                + "alter table imports alter column v type varchar(10);\ncreate index imports_v on imports (v);\n";
        MigrationAnalysis alone = ANALYZER.analyze(sql, "dev");
        assertFalse(MigrationAnalyzer.factsApply(alone, USERS));
        assertEquals(alone, ANALYZER.analyze(sql, "dev", USERS));
        assertFalse(alone.atLeast(Severity.BLOCK).isEmpty(), "the hidden pg_read_file is still blocked");
    }

    @Test
    void factsAboutATargetedTableAreApplied() {
        String sql = "create table imports (id bigint);\nalter table users alter column email type varchar(20);\n";
        MigrationAnalysis alone = ANALYZER.analyze(sql, "dev");
        assertTrue(MigrationAnalyzer.factsApply(alone, USERS));
        MigrationAnalysis withFacts = ANALYZER.analyze(sql, "dev", USERS);
        assertNotEquals(alone, withFacts);
        assertTrue(withFacts.findings().stream().anyMatch(f -> f.message().contains("email is text")), withFacts.toString());
    }
}
