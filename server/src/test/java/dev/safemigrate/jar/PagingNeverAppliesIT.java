package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * An agent reading a dry run's pages is never one argument away from applying: over stdio against
 * the built jar, every paging or narrowing argument without {@code dry_run: true} is refused, and a
 * pending migration that drops a table with rows never runs.
 */
@org.junit.jupiter.api.Timeout(300)
class PagingNeverAppliesIT {

    @TempDir
    Path root;

    @Test
    void pagingArgumentsWithoutDryRunAreRefusedAndTheDropNeverRuns() throws Exception {
        String db = TestDatabase.create("paging_applies");
        ProjectDir project = ProjectDir.create(root, db, "");
        McpSyncClient client = JarServer.start(root, new ArrayList<>(), "serve", "--config", project.configFile().toString());
        try {
            assertFalse(call(client, "create_migration", "name", "keep", "sql", "create table keep (id bigint);").isError());
            assertFalse(call(client, "apply_to_dev").isError());
            TestDatabase.execute(db, "insert into keep select g from generate_series(1, 5) g");
            Result drop = call(client, "create_migration", "name", "drop_keep", "sql", "drop table keep;");
            String version = (String) drop.get("version");
            List<Object[]> calls = List.of(new Object[] {"list", "at_risk"}, new Object[] {"version", version},
                    new Object[] {"severity", "confirm"}, new Object[] {"offset", 0}, new Object[] {"limit", 10},
                    new Object[] {"dry_run", false, "list", "pending"});
            for (Object[] args : calls) {
                Result r = call(client, "apply_to_dev", args);
                assertTrue(r.isError(), "refused: " + r);
                assertEquals("INVALID_INPUT", r.errorCode(), r.toString());
                assertEquals(5, TestDatabase.queryLong(db, "select count(*) from keep"), "nothing applied by " + List.of(args));
            }
            Result page = call(client, "apply_to_dev", "dry_run", true, "list", "at_risk");
            assertFalse(page.isError(), page.toString());
            assertEquals(1, page.list("at_risk").size(), "the drop's 5 rows are what the page shows at risk: " + page);
            assertEquals(5, TestDatabase.queryLong(db, "select count(*) from keep"), "a dry run's page applies nothing");
        } finally {
            client.closeGracefully();
        }
    }
}
