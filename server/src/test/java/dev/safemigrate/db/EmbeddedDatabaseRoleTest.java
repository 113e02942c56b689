package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The embedded default connects as a least-privileged owner, also on a data directory from before. */
class EmbeddedDatabaseRoleTest {

    @TempDir
    Path root;

    private static ObservedIdentity identity(ConnectionSettings settings) throws Exception {
        try (Connection c = settings.open()) {
            return IdentityProbe.read(c, settings);
        }
    }

    @Test
    void aFreshStartConnectsAsALeastPrivilegedOwnerOfAMarkedDatabase() throws Exception {
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(root.resolve("pgdata"))) {
            ConnectionSettings settings = embedded.settings();
            assertEquals(EmbeddedDatabase.ROLE, settings.user());
            ObservedIdentity o = identity(settings);
            assertEquals(List.of(), o.powers());
            assertEquals("dev", o.environment());
            assertEquals(EmbeddedDatabase.DATABASE, o.database());
            try (Connection c = settings.open(); Statement s = c.createStatement()) {
                s.execute("create table t (id bigint)");
            }
        }
    }

    @Test
    void aDataDirectoryFromBeforeIsHandedToTheRoleInPlace() throws Exception {
        Path data = root.resolve("pgdata");
        // what an older safemigrate left: everything owned by postgres
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start()) {
            try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database " + EmbeddedDatabase.DATABASE);
                s.execute("alter database " + EmbeddedDatabase.DATABASE + " set safemigrate.environment = 'dev'");
            }
            try (Connection c = old.getDatabase("postgres", EmbeddedDatabase.DATABASE).getConnection();
                 Statement s = c.createStatement()) {
                s.execute("""
                        create schema billing;
                        create table billing.invoices (id bigint generated always as identity, total int);
                        create table public.flyway_schema_history (installed_rank int primary key);
                        create view public.v as select 1 as one;
                        create sequence public.counter;
                        insert into billing.invoices (total) values (5)""");
            }
        }
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(data)) {
            ConnectionSettings settings = embedded.settings();
            assertEquals(EmbeddedDatabase.ROLE, settings.user());
            assertEquals(List.of(), identity(settings).powers());
            try (Connection c = settings.open(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("""
                        select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname in ('public', 'billing') and c.relowner <> 'safemigrate'::regrole""")) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), "every table, view, sequence and index now belongs to the role");
                }
                s.execute("alter table billing.invoices add column note text");
                s.execute("insert into public.flyway_schema_history values (1)");
                s.execute("drop view public.v");
                try (ResultSet rs = s.executeQuery("select pg_catalog.count(*) from billing.invoices")) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), "the data is still there");
                }
            }
        }
    }
}
