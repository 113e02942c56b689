package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.mcp.SafemigrateServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * The warm-up the server runs once tools/list is answered: it ends without failing in the built
 * jar (its sample, Flyway and the validator load there as in the tests), and a create_migration
 * that arrives while it runs answers exactly as the same call once it is over.
 */
@Timeout(300)
class IdleWarmupIT {

    private static final String SQL = """
            create table orders (id bigint primary key, customer_id bigint not null, total numeric(12,2));
            create index orders_customer on orders (customer_id);
            alter table orders add column note text;
            update orders set note = 'x';
            """;

    @TempDir
    Path root;

    @Test
    void aFirstCallDuringTheWarmupAnswersAsOneAfterIt() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("warmup"), "");
        List<String> stderr = new ArrayList<>();
        McpSyncClient client = JarServer.start(root, stderr, "serve", "--config", p.configFile().toString());
        try {
            assertEquals(5, client.listTools().tools().size());
            Result during = call(client, "create_migration", "name", "during_warmup", "sql", SQL);
            assertFalse(during.isError(), during.toString());
            long end = System.nanoTime() + 120_000_000_000L;
            while (!stderrHas(stderr, SafemigrateServer.WARMED_UP) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue(stderrHas(stderr, SafemigrateServer.WARMED_UP), "the warm-up ended: " + stderr);
            assertFalse(stderrHas(stderr, "warm-up failed"), String.join("\n", stderr));
            Files.delete(root.resolve((String) during.get("path")));
            Result after = call(client, "create_migration", "name", "after_warmup", "sql", SQL);
            assertFalse(after.isError(), after.toString());
            for (String same : List.of("statementCount", "executeInTransaction", "findings", "analysis", "checksum")) {
                assertEquals(during.get(same), after.get(same), same);
            }
            assertEquals(SQL, Files.readString(root.resolve((String) after.get("path"))));
        } finally {
            client.closeGracefully();
        }
    }

    private static boolean stderrHas(List<String> stderr, String text) {
        synchronized (stderr) {
            return stderr.stream().anyMatch(l -> l.contains(text));
        }
    }
}
