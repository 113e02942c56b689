package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * An agent reading a dry run's pages is never one argument away from applying: every paging or
 * narrowing argument without {@code dry_run: true} is refused, and the database is unchanged.
 */
class PagingNeverAppliesTest {

    @TempDir
    Path root;

    @Test
    void pagingArgumentsWithoutDryRunAreRefusedAndApplyNothing() {
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("paging_applies"), "");
        try (InProcessServer s = InProcessServer.start(project.config())) {
            Result created = call(s.client, "create_migration", "name", "add_t", "sql", "create table t (id bigint);");
            String version = (String) created.get("version");
            List<Object[]> calls = List.of(new Object[] {"list", "findings"}, new Object[] {"version", version},
                    new Object[] {"severity", "warn"}, new Object[] {"offset", 0}, new Object[] {"limit", 10},
                    new Object[] {"dry_run", false, "list", "pending"});
            for (Object[] args : calls) {
                Result r = call(s.client, "apply_to_dev", args);
                assertTrue(r.isError(), "refused: " + r);
                assertEquals("INVALID_INPUT", r.errorCode(), r.toString());
                assertFalse(TestDatabase.tableExists(project.database, "t"), "nothing applied by " + List.of(args));
            }
            Result page = call(s.client, "apply_to_dev", "dry_run", true, "list", "findings");
            assertFalse(page.isError(), page.toString());
            assertFalse(TestDatabase.tableExists(project.database, "t"), "a dry run's page applies nothing");
        }
    }
}
