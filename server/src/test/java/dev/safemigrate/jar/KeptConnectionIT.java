package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestConfigHome;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The built jar over stdio keeps status's connection between calls. Another PostgreSQL cluster
 * answering at the configured address between two calls (the first stopped, one marked
 * production started on the same port) is what the second call reports, and writes are refused
 * there: the kept connection died with the first cluster and is not trusted across the swap.
 */
@Timeout(300)
class KeptConnectionIT {

    private static final String DATABASE = "kept_swap";

    @TempDir
    Path root;

    @Test
    void anotherClusterOnTheSameAddressBetweenTwoStatusCallsIsSeenAndRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("safemigrate.toml"), """
                [migrations]
                dir = "db/migrations"

                [dev]
                url = "jdbc:postgresql://localhost:%d/%s"
                user = "%s"
                """.formatted(port, DATABASE, TestDatabase.APP_ROLE));
        ProjectDir.approve(new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, project));
        List<String> stderr = new ArrayList<>();
        EmbeddedPostgres first = cluster(root.resolve("first"), port, "dev");
        EmbeddedPostgres second = null;
        McpSyncClient client = JarServer.start(project, stderr, "serve", "--config", project.resolve("safemigrate.toml").toString());
        try {
            Result before = call(client, "status");
            assertEquals(true, before.get("database.verified"), before.toString());
            assertEquals("dev", before.get("database.environment"), before.toString());
            assertEquals(true, call(client, "status").get("database.verified"));

            first.close();
            second = cluster(root.resolve("second"), port, "production");

            Result after = call(client, "status");
            assertEquals(false, after.isError(), after.toString());
            assertEquals(false, after.get("database.verified"), "another cluster on the same port: " + after);
            assertEquals("production", after.get("database.environment"), after.toString());
            Result apply = call(client, "apply_to_dev");
            assertEquals("NOT_DEV_DATABASE", apply.errorCode(), apply.toString());
        } finally {
            client.closeGracefully();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** A cluster of its own on {@code port}, with the test role owning {@link #DATABASE}, marked {@code marker}. */
    private static EmbeddedPostgres cluster(Path dir, int port, String marker) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir).setCleanDataDirectory(true).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create role " + TestDatabase.APP_ROLE + " login");
            s.execute("create database " + DATABASE + " owner " + TestDatabase.APP_ROLE);
            s.execute("alter database " + DATABASE + " set safemigrate.environment = '" + marker + "'");
        }
        return pg;
    }
}
