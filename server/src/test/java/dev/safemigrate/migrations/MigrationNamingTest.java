package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.safemigrate.config.Config;

class MigrationNamingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"a", "add_users", "v2_backfill", "x12345678901234567890123456789012345678901234567890123456789"})
    void slugsAreValid(String name) {
        assertNull(MigrationName.problem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/b", "a\\b", "Add", "a-b", "a.b", "a b", "ä"})
    void everythingElseIsNot(String name) {
        assertNotNull(MigrationName.problem(name));
    }

    @Test
    void pathsAreCalledPaths() {
        assertTrue(MigrationName.problem("../../etc/passwd").contains("path"));
    }

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 10, 30, 15);

    @Test
    void timestampVersionIsTheUtcTimeWhenFree() {
        assertEquals("20261125103015", NextVersion.after(List.of("20261124000000"), Config.Versioning.TIMESTAMP, NOW));
    }

    @Test
    void timestampVersionNeverFallsBehindAnExistingOne() {
        assertEquals("20261125103016", NextVersion.after(List.of("20261125103015"), Config.Versioning.TIMESTAMP, NOW));
        assertEquals("20300101000001", NextVersion.after(List.of("20300101000000"), Config.Versioning.TIMESTAMP, NOW));
    }

    @Test
    void sequenceVersionCountsUp() {
        assertEquals("1", NextVersion.after(List.of(), Config.Versioning.SEQUENCE, NOW));
        assertEquals("8", NextVersion.after(List.of("1", "7", "3"), Config.Versioning.SEQUENCE, NOW));
        assertEquals("3", NextVersion.after(List.of("2.1"), Config.Versioning.SEQUENCE, NOW));
    }

    @Test
    void writeIsAtomicAndNeverOverwrites() throws Exception {
        MigrationFolder folder = new MigrationFolder(dir.resolve("m"));
        MigrationFile f = folder.write("1", "init", "create table t (id int);\n");
        assertEquals("create table t (id int);\n", Files.readString(f.path()));
        assertThrows(FileAlreadyExistsException.class, () -> folder.write("1", "init", "drop table t;\n"));
        assertEquals("create table t (id int);\n", Files.readString(f.path()));
        try (var files = Files.list(dir.resolve("m"))) {
            assertEquals(List.of(f.path()), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void checksumIgnoresLineEndingsAndBomLikeFlyway() {
        int lf = FlywayChecksum.of("create table t (id int);\nselect 1;\n");
        assertEquals(lf, FlywayChecksum.of("create table t (id int);\r\nselect 1;\r\n"));
        assertEquals(lf, FlywayChecksum.of("\uFEFFcreate table t (id int);\nselect 1;\n"));
        assertTrue(lf != FlywayChecksum.of("create table t (id bigint);\nselect 1;\n"));
    }
}
