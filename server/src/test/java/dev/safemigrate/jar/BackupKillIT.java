package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * kill -9 of the server while pg_dump is writing a backup: no partial dump is ever listed as a
 * usable backup, by status or by the next backup's retention, and the next backup works.
 */
@Timeout(300)
class BackupKillIT {

    @TempDir
    Path root;

    @Test
    void aBackupKilledMidwayIsNeverListedAsUsable() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("kill_backup"), "");
        Files.createDirectories(p.migrations());
        Files.writeString(p.migrations().resolve("V1__big.sql"), "create table big (id bigint, pad text);\n");
        McpSyncClient setup = JarServer.start(root, new ArrayList<>(), "serve", "--config", p.configFile().toString());
        try {
            assertFalse(call(setup, "apply_to_dev").isError());
        } finally {
            setup.closeGracefully();
        }
        // enough rows that pg_dump is still writing when the server dies
        TestDatabase.execute(p.database, "insert into big select g, repeat('x', 200) from generate_series(1, 400000) g");
        Path backups = root.resolve(".safemigrate/backups");

        try (RawServer server = RawServer.start(root, p.configFile())) {
            server.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"backup\","
                    + "\"arguments\":{}}}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (partials(backups).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertFalse(partials(backups).isEmpty(), "pg_dump started writing; stderr: " + server.stderrText());
            server.kill();
        }
        assertEquals(List.of(), dumps(backups), "no dump was committed under a usable name");

        McpSyncClient client = JarServer.start(root, new ArrayList<>(), "serve", "--config", p.configFile().toString());
        try {
            assertNull(call(client, "status").get("last_backup"), "status lists no usable backup");
            Result backup = call(client, "backup");
            assertFalse(backup.isError(), backup.toString());
            assertEquals(1, dumps(backups).size());
            assertEquals(backup.get("backup.file"), call(client, "status").get("last_backup.file"));
        } finally {
            client.closeGracefully();
        }
    }

    private static List<Path> partials(Path dir) throws IOException {
        return list(dir).stream().filter(f -> f.getFileName().toString().startsWith(".partial-")).toList();
    }

    private static List<Path> dumps(Path dir) throws IOException {
        return list(dir).stream().filter(f -> f.getFileName().toString().endsWith(".dump")
                && !f.getFileName().toString().startsWith(".")).toList();
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
