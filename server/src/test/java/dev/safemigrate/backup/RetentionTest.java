package dev.safemigrate.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    void keepsTheNewest() {
        assertEquals(List.of("a", "b"), Retention.toRemove(List.of("a", "b", "c", "d", "e"), 3));
    }

    @Test
    void removesNothingAtOrUnderTheLimit() {
        assertEquals(List.of(), Retention.toRemove(List.of("a", "b", "c"), 3));
        assertEquals(List.of(), Retention.toRemove(List.of(), 1));
    }

    @Test
    void olderPgDumpThanServerIsRefusedWithTheFix() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(BackupException.class,
                () -> PgDump.requireCompatible(new PgDump.Version("pg_dump (PostgreSQL) 14.9", 14), 150010, "pg_dump"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("older than the server"));
        org.junit.jupiter.api.Assertions.assertTrue(e.hint().contains("postgresql-client-15"));
    }

    @Test
    void sameOrNewerPgDumpIsAccepted() throws BackupException {
        PgDump.requireCompatible(new PgDump.Version("15.18", 15), 150010, "pg_dump");
        PgDump.requireCompatible(new PgDump.Version("17.1", 17), 150010, "pg_dump");
    }
}
