package dev.safemigrate.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DumpTargetTest {

    /** libpq reads a --dbname with '=' as a connection string: it could name another host. */
    @Test
    void refusesADatabaseNameThatIsNotPlain() {
        for (String name : new String[] {"app_dev host=evil.example port=5432", "dbname=app_dev", "a b", "a'b", "a\"b",
                "postgresql://evil/app", "", "x".repeat(64)}) {
            BackupException e = assertThrows(BackupException.class,
                    () -> DumpTarget.of("localhost", 5432, name, "app", "secret"), name);
            assertTrue(e.getMessage().contains("only plain names"), e.getMessage());
            assertTrue(e.hint().contains("[dev] url"), e.hint());
            assertTrue(!e.getMessage().contains("secret"));
        }
        assertThrows(BackupException.class, () -> DumpTarget.of("localhost", 5432, null, "app", null));
    }

    @Test
    void acceptsPlainNames() throws BackupException {
        for (String name : new String[] {"app_dev", "Dev-Mixed_1", "a$b", "x".repeat(63)}) {
            assertEquals(name, DumpTarget.of("localhost", 5432, name, "app", null).database());
        }
    }

    @Test
    void refusesAHostCarryingSettings() {
        assertThrows(BackupException.class, () -> DumpTarget.of("localhost hostaddr=10.0.0.1", 5432, "app", "app", null));
    }
}
