package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prisma's folder read and written as Prisma reads and writes it, and what the two could read differently refused. */
class PrismaFolderTest {

    @TempDir
    Path root;

    Path dir() {
        return root.resolve("prisma/migrations");
    }

    void migration(String folder, String sql) throws Exception {
        Files.createDirectories(dir().resolve(folder));
        Files.writeString(dir().resolve(folder).resolve("migration.sql"), sql);
    }

    @Test
    void readsEachFolderAsTheVersionOfItsTimestampInPrismasOrder() throws Exception {
        migration("20240102000000_Add-Orders", "create table orders (id int);\n");
        migration("0_init", "create table init (id int);\n");
        migration("20240101000000_users", "create table users (id int);\n");
        Files.writeString(dir().resolve("migration_lock.toml"), PrismaFolder.LOCK_CONTENT);
        Files.writeString(dir().resolve("20240101000000_users/down.sql"), "drop table users;");
        Files.writeString(dir().resolve("README.md"), "notes");
        MigrationSnapshot s = new PrismaFolder(dir()).snapshot();
        assertEquals(List.of(), s.strays());
        assertEquals(List.of("0", "20240101000000", "20240102000000"), s.files().stream().map(f -> f.rawVersion()).toList());
        assertEquals(List.of("0_init", "20240101000000_users", "20240102000000_Add-Orders"),
                s.files().stream().map(PrismaFolder::migrationName).toList());
        assertEquals("20240101000000_users/migration.sql", s.files().get(1).script());
        byte[] bytes = Files.readAllBytes(dir().resolve("20240101000000_users/migration.sql"));
        assertEquals(MigrationSnapshot.sha256(bytes), s.files().get(1).sha256());
        assertEquals(PrismaChecksum.of(new String(bytes, StandardCharsets.UTF_8)), s.files().get(1).sha256(),
                "the snapshot's sha256 is the checksum Prisma records");
    }

    @Test
    void refusesWhatPrismaAndFlywayWouldReadDifferently() throws Exception {
        migration("init", "create table a (id int);\n");
        Files.createDirectories(dir().resolve("20240101000000_empty"));
        migration("20240102000000_bom", "\uFEFFcreate table b (id int);\n");
        migration("20240103000000_a", "select 1;\n");
        migration("20240103000000_b", "select 2;\n");
        migration("9_nine", "select 9;\n");
        migration("10_ten", "select 10;\n");
        Files.createDirectories(dir().resolve("20240104000000_latin1"));
        Files.write(dir().resolve("20240104000000_latin1/migration.sql"), new byte[] {'s', 'e', 'l', (byte) 0xE9});
        Files.writeString(dir().resolve("migration_lock.toml"), "provider = \"mysql\"\n");
        MigrationSnapshot s = new PrismaFolder(dir()).snapshot();
        String strays = s.strays().toString();
        assertTrue(strays.contains("does not start with a timestamp"), strays);
        assertTrue(strays.contains("without migration.sql"), strays);
        assertTrue(strays.contains("byte order mark"), strays);
        assertTrue(strays.contains("not valid UTF-8"), strays);
        assertTrue(strays.contains("same timestamp (20240103000000)"), strays);
        assertTrue(strays.contains("order of their names"), strays);
        assertTrue(strays.contains("provider \"mysql\""), strays);
        assertTrue(new PrismaFolder(dir()).refusesWriting(s).contains("mysql"));
    }

    @Test
    void writesAFolderWholeWithPrismasLockFileAndNeverOverAnother() throws Exception {
        PrismaFolder folder = new PrismaFolder(dir());
        MigrationFile f = folder.write("20240105120000", "add_users", "create table users (id int);\n", true);
        assertEquals(dir().resolve("20240105120000_add_users/migration.sql"), f.path());
        assertEquals("create table users (id int);\n", Files.readString(f.path()));
        assertEquals(PrismaFolder.LOCK_CONTENT, Files.readString(dir().resolve("migration_lock.toml")));
        try (var entries = Files.list(root.resolve("prisma"))) {
            assertEquals(List.of("migrations"), entries.map(p -> p.getFileName().toString()).toList());
        }
        assertThrows(FileAlreadyExistsException.class, () -> folder.write("20240105120000", "add_users", "x", true));
        assertEquals("create table users (id int);\n", Files.readString(f.path()));
    }

    @Test
    void replacesAPendingMigrationByRenamingItsFolder() throws Exception {
        PrismaFolder folder = new PrismaFolder(dir());
        MigrationFile old = folder.write("20240105120000", "add_users", "create table users (id int);\n", true);
        MigrationFile replaced = folder.replace(old.path(), "20240105120100", "add_people", "create table people (id int);\n", true);
        assertEquals("create table people (id int);\n", Files.readString(replaced.path()));
        MigrationSnapshot s = folder.snapshot();
        assertEquals(List.of("20240105120100_add_people"), s.files().stream().map(PrismaFolder::migrationName).toList());
        assertEquals(List.of(), s.strays());
    }

    @Test
    void readsTheProviderAsPrismaDoes() {
        assertEquals("postgresql", PrismaFolder.provider(PrismaFolder.LOCK_CONTENT));
        assertEquals("mysql", PrismaFolder.provider("# x\nprovider = \"mysql\"\n"));
        assertEquals("<PROVIDER NOT FOUND>", PrismaFolder.provider("# nothing\n"));
    }
}
