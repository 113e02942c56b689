package dev.safemigrate.jar;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;

import dev.safemigrate.migrations.PrismaFolder;
import dev.safemigrate.testing.PrismaRows;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * A Prisma project through the built jar over stdio, checked by the real Prisma CLI: what safemigrate
 * applies, {@code prisma migrate status} calls up to date and {@code prisma migrate deploy} does not
 * apply again; what Prisma's deploy applied, safemigrate adopts as it is; a migration Prisma failed,
 * safemigrate refuses.
 *
 * <p>The CLI runs offline: prisma 6.19.3 with its JavaScript schema engine (the schema engine compiled
 * to WebAssembly, {@code engine: "js"} in prisma.config.ts) over {@code @prisma/adapter-pg}, pinned in
 * server/src/test/node ({@code npm ci --ignore-scripts}, as .ci/run does: no engine download). The
 * adapter is 7.10.1's, which reads PostgreSQL's {@code name} columns that 6.19's cannot (its engine
 * lists tables by {@code pg_class.relname}). Prisma 7.10.1 itself cannot run migrate offline: its
 * config has no adapter, and it downloads the native schema engine before any migrate command. The
 * two engine paths Prisma checks before running are pointed at an empty file so it downloads nothing;
 * the JavaScript engine uses neither.
 */
@Timeout(600)
class PrismaCliIT {

    static final String SCHEMA = """
            datasource db {
              provider = "postgresql"
              url      = env("DATABASE_URL")
            }
            """;
    static final String CONFIG = """
            import { defineConfig } from 'prisma/config'
            import { PrismaPg } from '@prisma/adapter-pg'

            export default defineConfig({
              experimental: { adapter: true },
              engine: 'js',
              schema: 'prisma/schema.prisma',
              migrations: { path: 'prisma/migrations' },
              async adapter() {
                return new PrismaPg({ connectionString: process.env.DATABASE_URL })
              },
            })
            """;

    @TempDir
    Path root;

    record Run(int exit, String out) {}

    /** A Prisma project whose safemigrate.toml says layout = "prisma", on a fresh database. */
    String project() throws Exception {
        String db = TestDatabase.create("prisma_cli");
        Files.createDirectories(root.resolve("prisma"));
        Files.writeString(root.resolve("prisma/schema.prisma"), SCHEMA);
        Files.writeString(root.resolve("prisma.config.ts"), CONFIG);
        Files.createSymbolicLink(root.resolve("node_modules"), nodePackage().resolve("node_modules"));
        Files.writeString(root.resolve("safemigrate.toml"), """
                [migrations]
                layout = "prisma"

                [dev]
                url = "%s"
                user = "%s"
                """.formatted(TestDatabase.url(db), TestDatabase.APP_ROLE));
        // approved as a person would have with safemigrate trust
        dev.safemigrate.testing.ProjectDir.approve(new dev.safemigrate.config.ConfigLoader(name -> null,
                dev.safemigrate.testing.TestConfigHome.dir()).load(null, root));
        return db;
    }

    Run prisma(String db, String... args) throws Exception {
        Path nothing = Files.writeString(root.resolve(".no-engine"), "");
        List<String> cmd = new ArrayList<>(List.of("node", nodePackage().resolve("node_modules/prisma/build/index.js").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("DATABASE_URL", "postgresql://" + TestDatabase.APP_ROLE + "@localhost:" + TestDatabase.port() + "/" + db);
        pb.environment().put("PRISMA_QUERY_ENGINE_LIBRARY", nothing.toString());
        pb.environment().put("PRISMA_SCHEMA_ENGINE_BINARY", nothing.toString());
        pb.environment().put("PRISMA_HIDE_UPDATE_MESSAGE", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("prisma " + String.join(" ", args) + " did not end: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    McpSyncClient server(List<String> stderr) {
        return JarServer.start(root, stderr, "serve", "--config", root.resolve("safemigrate.toml").toString());
    }

    Path migration(String name, String sql) throws Exception {
        Path dir = Files.createDirectories(root.resolve("prisma/migrations").resolve(name));
        Files.writeString(root.resolve("prisma/migrations/migration_lock.toml"), PrismaFolder.LOCK_CONTENT);
        return Files.writeString(dir.resolve("migration.sql"), sql);
    }

    @Test
    void whatSafemigrateAppliesPrismaCallsUpToDateAndDeploysNoMore() throws Exception {
        String db = project();
        List<String> stderr = new ArrayList<>();
        McpSyncClient client = server(stderr);
        List<String> paths = new ArrayList<>();
        try {
            Result users = call(client, "create_migration", "name", "create_user", "sql",
                    "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"email\" TEXT NOT NULL, "
                            + "CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"));");
            assertFalse(users.isError(), users.toString());
            paths.add((String) users.get("path"));
            Run pending = prisma(db, "migrate", "status");
            assertTrue(pending.out().contains("have not yet been applied"), pending.out());

            Result dry = call(client, "apply_to_dev", "dry_run", true);
            assertEquals(true, dry.get("dry_run_result.success"), dry.toString());
            Result applied = call(client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());

            Result name = call(client, "create_migration", "name", "add_user_name", "sql",
                    "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT;");
            assertFalse(name.isError(), name.toString());
            paths.add((String) name.get("path"));
            assertFalse(call(client, "apply_to_dev").isError());
        } finally {
            client.closeGracefully();
        }

        List<Map<String, Object>> rows = PrismaRows.rows(db);
        assertEquals(2, rows.size(), rows.toString());
        for (int i = 0; i < 2; i++) {
            Path file = root.resolve(paths.get(i));
            assertEquals(file.getParent().getFileName().toString(), rows.get(i).get("migration_name"));
            assertEquals(PrismaRows.sha256(Files.readAllBytes(file)), rows.get(i).get("checksum"));
            assertNull(rows.get(i).get("logs"));
            assertEquals(1, rows.get(i).get("applied_steps_count"));
        }

        Run status = prisma(db, "migrate", "status");
        assertEquals(0, status.exit(), status.out());
        assertTrue(status.out().contains("2 migrations found in prisma/migrations"), status.out());
        assertTrue(status.out().contains("Database schema is up to date!"), status.out());
        Run deploy = prisma(db, "migrate", "deploy");
        assertEquals(0, deploy.exit(), deploy.out());
        assertTrue(deploy.out().contains("No pending migrations to apply."), deploy.out());
        assertEquals(2, PrismaRows.rows(db).size(), "Prisma applied nothing again");
    }

    @Test
    void aDatabasePrismasDeployMigratedIsAdoptedAsItIsAndPrismaAgreesAfterwards() throws Exception {
        String db = project();
        migration("20240101000000_init", "-- CreateTable\nCREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, "
                + "CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"));\n");
        migration("20240102000000_post", "-- CreateTable\nCREATE TABLE \"Post\" (\"id\" SERIAL NOT NULL);\n");
        Run deployed = prisma(db, "migrate", "deploy");
        assertEquals(0, deployed.exit(), deployed.out());
        assertEquals(2, PrismaRows.rows(db).size(), "the rows Prisma itself wrote");

        List<String> stderr = new ArrayList<>();
        McpSyncClient client = server(stderr);
        try {
            Result status = call(client, "status");
            assertEquals(true, status.get("validation.valid"), status.toString());
            assertEquals(2, status.get("summary.applied"), status.toString());
            assertEquals(0, status.get("summary.pending"), status.toString());
            Result comment = call(client, "create_migration", "name", "comment", "sql",
                    "CREATE TABLE \"Comment\" (\"id\" SERIAL NOT NULL);");
            assertFalse(comment.isError(), comment.toString());
            Result applied = call(client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(1, applied.list("applied").size(), applied.toString());
        } finally {
            client.closeGracefully();
        }
        Run status = prisma(db, "migrate", "status");
        assertEquals(0, status.exit(), status.out());
        assertTrue(status.out().contains("Database schema is up to date!"), status.out());
        assertTrue(prisma(db, "migrate", "deploy").out().contains("No pending migrations to apply."));
    }

    @Test
    void aMigrationPrismaFailedIsRefusedInPrismasWords() throws Exception {
        String db = project();
        migration("20240101000000_init", "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL);\n");
        migration("20240102000000_broken", "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL);\n");
        Run deployed = prisma(db, "migrate", "deploy");
        assertEquals(1, deployed.exit(), deployed.out());
        migration("20240103000000_later", "CREATE TABLE \"Later\" (\"id\" int);\n");

        List<String> stderr = new ArrayList<>();
        McpSyncClient client = server(stderr);
        try {
            Result refused = call(client, "apply_to_dev", "dry_run", true);
            assertTrue(refused.isError(), refused.toString());
            assertTrue(refused.toString().contains("P3009"), refused.toString());
            assertTrue(refused.toString().contains("prisma migrate resolve --rolled-back 20240102000000_broken"),
                    refused.toString());
            assertTrue(call(client, "apply_to_dev").isError());
        } finally {
            client.closeGracefully();
        }
        assertFalse(TestDatabase.tableExists(db, "Later"));
    }

    /** server/src/test/node with prisma installed at the pinned version; fails when node or the install is missing. */
    static Path nodePackage() throws Exception {
        Path dir = JarServer.jar().toAbsolutePath().getParent().getParent().resolve("src/test/node");
        Path cli = dir.resolve("node_modules/prisma/package.json");
        if (!Files.isRegularFile(cli)) {
            fail("the Prisma CLI is not installed: run `npm ci --ignore-scripts --no-audit --no-fund` in " + dir
                    + " (.ci/run does it; node 18+ is needed)");
        }
        String pinned = Files.readString(dir.resolve("package.json")).replaceAll("(?s).*\"prisma\": \"([^\"]+)\".*", "$1");
        String version = Files.readString(cli).replaceAll("(?s).*?\"version\": \"([^\"]+)\".*", "$1");
        assertEquals(pinned, version, "node_modules holds another prisma than package.json pins: run `npm ci` in " + dir);
        return dir;
    }
}
