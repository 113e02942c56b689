package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replace renames the old file into the new one: one version at every step, and the .conf follows. */
class MigrationFolderTest {

    @TempDir
    Path dir;

    @Test
    void replaceMovesASubfolderFileToItsNewVersionAndAddsTheConfItNeeds() throws Exception {
        Path old = Files.createDirectories(dir.resolve("sub")).resolve("V1__idx.sql");
        Files.writeString(old, "create index i on t (a);\n");
        MigrationFile f = new MigrationFolder(dir).replace(old, "2", "idx", "create index concurrently i on t (a);\n", false);
        assertEquals(dir.resolve("V2__idx.sql"), f.path());
        assertEquals("create index concurrently i on t (a);\n", Files.readString(f.path()));
        assertEquals(MigrationSnapshot.NON_TRANSACTIONAL_CONF, Files.readString(MigrationFolder.scriptConfig(f.path())));
        assertEquals(List.of(dir.resolve("V2__idx.sql"), dir.resolve("V2__idx.sql.conf")), files());
        assertTrue(MigrationSnapshot.read(dir).strays().isEmpty());
    }

    @Test
    void replacingANonTransactionalMigrationByATransactionalOneDropsItsConf() throws Exception {
        MigrationFolder folder = new MigrationFolder(dir);
        MigrationFile old = folder.write("1", "idx", "create index concurrently i on t (a);\n", false);
        MigrationFile f = folder.replace(old.path(), "2", "idx2", "create index i on t (a);\n", true);
        assertEquals(List.of(f.path()), files());
        assertTrue(MigrationSnapshot.read(dir).strays().isEmpty());
    }

    @Test
    void anExistingTargetIsNeverOverwrittenAndTheOldFileStays() throws Exception {
        Path old = Files.writeString(dir.resolve("V1__a.sql"), "create table a (id int);\n");
        Files.writeString(dir.resolve("V2__a.sql"), "create table mine (id int);\n");
        assertThrows(FileAlreadyExistsException.class,
                () -> new MigrationFolder(dir).replace(old, "2", "a", "create table b (id int);\n", true));
        assertEquals("create table a (id int);\n", Files.readString(old));
        assertEquals("create table mine (id int);\n", Files.readString(dir.resolve("V2__a.sql")));
        assertFalse(files().stream().anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
