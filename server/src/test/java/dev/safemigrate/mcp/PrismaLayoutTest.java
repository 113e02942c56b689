package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.migrations.PrismaFolder;
import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.PrismaRows;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestConfigHome;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * {@code layout = "prisma"}: the migrations stay in prisma/migrations, and _prisma_migrations is the
 * history, read and written by Prisma's rules as prisma-engines states them
 * ({@code schema-engine/core/src/commands/apply_migrations.rs}, {@code diagnose_migration_history.rs},
 * {@code connectors/schema-connector/src/checksum.rs}, {@code sql-schema-connector/src/sql_migration_persistence.rs},
 * {@code flavour/postgres.rs}). PrismaCliIT checks the same against the real Prisma CLI.
 */
class PrismaLayoutTest {

    static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @TempDir
    Path root;

    Config config(String db) throws Exception {
        Files.writeString(root.resolve("safemigrate.toml"), """
                [migrations]
                layout = "prisma"

                [dev]
                url = "%s"
                user = "%s"

                [backup]
                dir = ".safemigrate/backups"
                keep = 3
                """.formatted(TestDatabase.url(db), TestDatabase.APP_ROLE));
        // approved as a person would have with safemigrate trust
        return ProjectDir.approve(new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root));
    }

    Path migration(String name, String sql) throws Exception {
        Path dir = Files.createDirectories(root.resolve("prisma/migrations").resolve(name));
        Files.writeString(root.resolve("prisma/migrations/migration_lock.toml"), PrismaFolder.LOCK_CONTENT);
        return Files.writeString(dir.resolve("migration.sql"), sql);
    }

    /** A row as Prisma's deploy leaves it after a success. */
    static String finishedRow(String name, String checksum) {
        return "insert into _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) "
                + "values (gen_random_uuid()::text, '" + checksum + "', now(), '" + name + "', now(), 1);";
    }

    @Test
    void createDryRunApplyWritesPrismasFolderAndTheRowPrismasDeployWrites() throws Exception {
        String db = TestDatabase.create("prisma_e2e");
        try (InProcessServer s = InProcessServer.start(config(db))) {
            Result created = call(s.client, "create_migration", "name", "add_customers",
                    "sql", "CREATE TABLE \"customers\" (\"id\" SERIAL NOT NULL, CONSTRAINT \"customers_pkey\" PRIMARY KEY (\"id\"));");
            assertFalse(created.isError(), created.toString());
            String path = (String) created.get("path");
            assertTrue(path.matches("prisma/migrations/[0-9]{14}_add_customers/migration\\.sql"), path);
            String version = (String) created.get("version");
            assertTrue(path.startsWith("prisma/migrations/" + version + "_"), path);
            assertEquals(PrismaFolder.LOCK_CONTENT, Files.readString(root.resolve("prisma/migrations/migration_lock.toml")));
            try (var entries = Files.list(root.resolve("prisma"))) {
                assertEquals(List.of("migrations"), entries.map(p -> p.getFileName().toString()).toList(),
                        "nothing is left beside the migrations folder");
            }

            Result dry = call(s.client, "apply_to_dev", "dry_run", true);
            assertEquals(true, dry.get("dry_run_result.success"), dry.toString());
            assertFalse(TestDatabase.tableExists(db, "customers"));
            assertFalse(TestDatabase.tableExists(db, "_prisma_migrations"));

            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(version, applied.get("applied.0.version"), applied.toString());
            assertTrue(TestDatabase.tableExists(db, "customers"));
            assertFalse(TestDatabase.tableExists(db, "flyway_schema_history"), "no Flyway history in Prisma's schema");
            assertFalse(TestDatabase.tableExists(db, "_safemigrate_flyway_run"), "Flyway's history of the run is gone");

            List<Map<String, Object>> rows = PrismaRows.rows(db);
            assertEquals(1, rows.size(), rows.toString());
            Map<String, Object> row = rows.get(0);
            String folder = path.substring("prisma/migrations/".length(), path.length() - "/migration.sql".length());
            assertTrue(((String) row.get("id")).matches(UUID_V4), row.toString());
            assertEquals(PrismaRows.sha256(Files.readAllBytes(root.resolve(path))), row.get("checksum"), "sha256 of the file, byte for byte");
            assertEquals(folder, row.get("migration_name"));
            assertNull(row.get("logs"), "no logs on success");
            assertNull(row.get("rolled_back_at"));
            assertEquals(1, row.get("applied_steps_count"));
            java.sql.Timestamp started = (java.sql.Timestamp) row.get("started_at");
            java.sql.Timestamp finished = (java.sql.Timestamp) row.get("finished_at");
            assertNotNull(finished);
            assertFalse(finished.before(started), row.toString());
            assertEquals(0, started.getNanos() % 1_000_000, "milliseconds, as Prisma's engine writes them");
            long sameTransaction = TestDatabase.queryLong(db, "select count(*) from pg_class where relname = 'customers' "
                    + "and xmin::text = '" + row.get("xmin") + "'");
            assertEquals(1, sameTransaction, "the row is written in the migration's own transaction");

            Result status = call(s.client, "status");
            assertEquals(true, status.get("validation.valid"), status.toString());
            assertEquals("applied", status.get("migrations.0.state"), status.toString());
            assertEquals("none", status.get("drift.state"), "the apply's own tables, Flyway's run table included, are not drift: " + status);
            assertEquals("prisma/migrations", status.get("migrations_dir"));
            Result again = call(s.client, "apply_to_dev");
            assertTrue(again.text().contains("Nothing pending"), again.toString());
        }
    }

    @Test
    void aPendingMigrationIsReplacedInPlaceAndANonTransactionalOneIsRecordedToo() throws Exception {
        String db = TestDatabase.create("prisma_replace");
        try (InProcessServer s = InProcessServer.start(config(db))) {
            Result first = call(s.client, "create_migration", "name", "add_users", "sql", "CREATE TABLE \"users\" (\"id\" int);");
            Result replaced = call(s.client, "create_migration", "name", "add_people", "sql",
                    "CREATE TABLE \"people\" (\"id\" int, \"email\" text);", "replaces", first.get("version"));
            assertFalse(replaced.isError(), replaced.toString());
            assertFalse(Files.exists(root.resolve((String) first.get("path")).getParent()), "the old folder is renamed");
            assertTrue(Files.isRegularFile(root.resolve((String) replaced.get("path"))));
            assertFalse(call(s.client, "apply_to_dev").isError());
            Result index = call(s.client, "create_migration", "name", "people_email", "sql",
                    "CREATE INDEX CONCURRENTLY \"people_email\" ON \"people\" (\"email\");");
            assertFalse(index.isError(), index.toString());
            Result applied = call(s.client, "apply_to_dev");
            if (applied.isError() && "CONFIRMATION_REQUIRED".equals(applied.errorCode())) {
                applied = call(s.client, "apply_to_dev", "confirm", applied.get("confirmation_token"));
            }
            assertFalse(applied.isError(), applied.toString());
            assertEquals(1L, TestDatabase.queryLong(db, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid "
                    + "where c.relname = 'people_email' and i.indisvalid"));
            List<Map<String, Object>> rows = PrismaRows.rows(db);
            assertEquals(2, rows.size(), rows.toString());
            assertEquals(PrismaRows.sha256(Files.readAllBytes(root.resolve((String) index.get("path")))), rows.get(1).get("checksum"));
            assertNotNull(rows.get(1).get("finished_at"));
            assertEquals(true, call(s.client, "status").get("validation.valid"));
        }
    }

    @Test
    void aDatabasePrismaMigratedIsAdoptedAsItIsWithCrlfCheckoutsMatchingByPrismasRule() throws Exception {
        String db = TestDatabase.create("prisma_adopt");
        String init = "-- CreateTable\nCREATE TABLE \"users\" (\"id\" SERIAL NOT NULL, PRIMARY KEY (\"id\"));\n";
        String posts = "CREATE TABLE \"posts\" (\"id\" SERIAL NOT NULL);\n";
        // Prisma applied the LF files; git has since checked the first out with CRLF
        migration("20240101000000_init", init.replace("\n", "\r\n"));
        migration("20240102000000_posts", posts);
        migration("20240103000000_comments", "CREATE TABLE \"comments\" (\"id\" SERIAL NOT NULL);\n");
        TestDatabase.execute(db, PrismaRows.TABLE + init + posts
                + finishedRow("20240101000000_init", PrismaRows.sha256(init.getBytes(StandardCharsets.UTF_8)))
                + finishedRow("20240102000000_posts", PrismaRows.sha256(posts.getBytes(StandardCharsets.UTF_8))));
        try (InProcessServer s = InProcessServer.start(config(db))) {
            Result status = call(s.client, "status");
            assertEquals(true, status.get("validation.valid"), status.toString());
            assertEquals(2, status.get("summary.applied"), status.toString());
            assertEquals(1, status.get("summary.pending"), status.toString());

            Result applied = call(s.client, "apply_to_dev");
            assertFalse(applied.isError(), applied.toString());
            assertEquals(1, applied.list("applied").size(), applied.toString());
            assertEquals("20240103000000", applied.get("applied.0.version"));
            assertTrue(TestDatabase.tableExists(db, "comments"));
            assertEquals(List.of("20240101000000_init", "20240102000000_posts", "20240103000000_comments"),
                    PrismaRows.rows(db).stream().map(r -> r.get("migration_name")).toList());
        }
    }

    @Test
    void aFailedPrismaMigrationRefusesInPrismasWordsAndOurs() throws Exception {
        String db = TestDatabase.create("prisma_failed");
        String sql = "CREATE TABLE \"a\" (\"id\" int);\n";
        migration("20240101000000_a", sql);
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        TestDatabase.execute(db, PrismaRows.TABLE + "insert into _prisma_migrations (id, checksum, migration_name, logs, "
                + "started_at, applied_steps_count) values ('x', '" + PrismaRows.sha256(sql.getBytes(StandardCharsets.UTF_8))
                + "', '20240101000000_a', 'ERROR: relation exists', now(), 0)");
        refusesAndAppliesNothing(db, "P3009", "prisma migrate resolve --rolled-back 20240101000000_a");
    }

    @Test
    void aRolledBackPrismaMigrationNeverAppliedSinceRefuses() throws Exception {
        String db = TestDatabase.create("prisma_rolledback");
        String sql = "CREATE TABLE \"a\" (\"id\" int);\n";
        migration("20240101000000_a", sql);
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        TestDatabase.execute(db, PrismaRows.TABLE + "insert into _prisma_migrations (id, checksum, migration_name, logs, "
                + "started_at, rolled_back_at, applied_steps_count) values ('x', '" + PrismaRows.sha256(sql.getBytes(StandardCharsets.UTF_8))
                + "', '20240101000000_a', 'ERROR', now(), now(), 0)");
        refusesAndAppliesNothing(db, "marked rolled back", "prisma migrate deploy");
    }

    @Test
    void anEditedPrismaMigrationRefusesAsAChecksumMismatch() throws Exception {
        String db = TestDatabase.create("prisma_edited");
        String sql = "CREATE TABLE \"a\" (\"id\" int);\n";
        migration("20240101000000_a", sql + "-- edited\n");
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        TestDatabase.execute(db, PrismaRows.TABLE + sql + finishedRow("20240101000000_a", PrismaRows.sha256(sql.getBytes(StandardCharsets.UTF_8))));
        Result refused = refusesAndAppliesNothing(db, "was modified after it was applied", "git checkout");
        assertEquals("CHECKSUM_MISMATCH", refused.errorCode());
    }

    @Test
    void aPrismaMigrationWhoseFolderIsGoneRefuses() throws Exception {
        String db = TestDatabase.create("prisma_missing");
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        TestDatabase.execute(db, PrismaRows.TABLE + "CREATE TABLE \"a\" (\"id\" int);" + finishedRow("20240101000000_a", "0".repeat(64)));
        refusesAndAppliesNothing(db, "missing from the local migrations directory", "git checkout");
    }

    @Test
    void aSchemaPrismaDidNotMigrateRefusesInPrismasWords() throws Exception {
        String db = TestDatabase.create("prisma_pushed");
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        TestDatabase.execute(db, "CREATE TABLE \"made_by_db_push\" (\"id\" int)");
        refusesAndAppliesNothing(db, "The database schema is not empty", "prisma migrate resolve --applied");
    }

    @Test
    void aLockFileForAnotherProviderRefusesWritingAndApplying() throws Exception {
        String db = TestDatabase.create("prisma_mysql");
        migration("20240102000000_b", "CREATE TABLE \"b\" (\"id\" int);\n");
        Files.writeString(root.resolve("prisma/migrations/migration_lock.toml"), "provider = \"mysql\"\n");
        try (InProcessServer s = InProcessServer.start(config(db))) {
            Result created = call(s.client, "create_migration", "name", "c", "sql", "create table c (id int);");
            assertTrue(created.isError(), created.toString());
            assertTrue(created.toString().contains("provider \\\"mysql\\\"") || created.toString().contains("provider \"mysql\""),
                    created.toString());
        }
        refusesAndAppliesNothing(db, "mysql", "");
    }

    private Result refusesAndAppliesNothing(String db, String words, String fix) throws Exception {
        try (InProcessServer s = InProcessServer.start(config(db))) {
            Result status = call(s.client, "status");
            assertEquals(false, status.get("validation.valid"), status.toString());
            assertTrue(status.toString().contains(words), status.toString());
            for (Object dry : List.of(true, false)) {
                Result refused = call(s.client, "apply_to_dev", "dry_run", dry);
                assertTrue(refused.isError(), refused.toString());
                assertTrue(refused.toString().contains(words), refused.toString());
                assertTrue(refused.toString().contains(fix), refused.toString());
            }
            assertFalse(TestDatabase.tableExists(db, "b"), "nothing was applied");
            return call(s.client, "apply_to_dev");
        }
    }
}
