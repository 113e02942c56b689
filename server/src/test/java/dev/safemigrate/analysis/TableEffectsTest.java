package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Lock, rewrite and transaction facts per statement, as PostgreSQL's documentation states them. */
class TableEffectsTest {

    private final MigrationAnalyzer analyzer = new MigrationAnalyzer();

    private StatementAnalysis only(String sql) {
        return analyzer.analyze(sql).statements().get(0);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM orders|AccessShareLock",
            "SELECT * FROM orders FOR UPDATE|RowShareLock",
            "INSERT INTO orders VALUES (1)|RowExclusiveLock",
            "DELETE FROM orders WHERE id = 1|RowExclusiveLock",
            "CREATE INDEX i ON orders (a)|ShareLock",
            "CREATE INDEX CONCURRENTLY i ON orders (a)|ShareUpdateExclusiveLock",
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID|ShareRowExclusiveLock",
            "ALTER TABLE orders VALIDATE CONSTRAINT fk|ShareUpdateExclusiveLock",
            "ALTER TABLE orders ADD COLUMN a text|AccessExclusiveLock",
            "ALTER TABLE orders VALIDATE CONSTRAINT fk, ADD COLUMN a text|AccessExclusiveLock",
            "VACUUM FULL orders|AccessExclusiveLock",
            "VACUUM orders|ShareUpdateExclusiveLock",
            "LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE|ShareRowExclusiveLock",
            "TRUNCATE orders|AccessExclusiveLock",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY m|ExclusiveLock"})
    void reportsTheLockPostgresTakes(String sql, String lock) {
        assertEquals(lock, only(sql).lock());
    }

    @Test
    void knowsWhichStatementsRewriteTheTable() {
        assertTrue(only("ALTER TABLE orders ALTER COLUMN id TYPE bigint").rewrite());
        assertTrue(only("ALTER TABLE orders ADD COLUMN t uuid DEFAULT gen_random_uuid()").rewrite());
        assertFalse(only("ALTER TABLE orders ADD COLUMN t timestamptz DEFAULT now()").rewrite());
        assertFalse(only("ALTER TABLE orders ALTER COLUMN note TYPE text").rewrite());
        assertTrue(only("CLUSTER orders USING orders_pkey").rewrite());
        assertNull(only("CREATE TABLE t (id bigint)").lock());
    }

    @Test
    void knowsWhatCannotRunInATransaction() {
        assertFalse(only("CREATE INDEX CONCURRENTLY i ON orders (a)").transactional());
        assertFalse(only("REINDEX INDEX CONCURRENTLY i").transactional());
        assertFalse(only("VACUUM orders").transactional());
        assertFalse(only("ALTER TABLE p DETACH PARTITION c CONCURRENTLY").transactional());
        assertTrue(only("CREATE INDEX i ON orders (a)").transactional());
        MigrationAnalysis alone = analyzer.analyze("CREATE INDEX CONCURRENTLY i ON orders (a);");
        assertFalse(alone.executeInTransaction());
        assertFalse(alone.mixesNonTransactional());
        assertTrue(alone.findings().isEmpty());
        MigrationAnalysis mixed = analyzer.analyze("CREATE INDEX CONCURRENTLY i ON orders (a);\nSELECT 1;");
        assertTrue(mixed.mixesNonTransactional());
        assertEquals(1, mixed.findings().get(0).statement());
        assertEquals(1, mixed.findings().get(0).line());
    }
}
