package dev.safemigrate.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL started by this process, its data kept under {@code .safemigrate/pgdata} so it
 * survives restarts. The database is created on first start and marked {@code dev}, owned by a
 * role with no power beyond it ({@link #ROLE}); the tools connect as that role, so PostgreSQL
 * itself refuses a migration that reaches for other databases, server files or programs. The
 * superuser connection is used only here, to set that up, and never handed out.
 */
public final class EmbeddedDatabase implements DatabaseSource {

    public static final String DATABASE = "safemigrate_dev";
    /** The least-privileged role the tools connect as. */
    public static final String ROLE = "safemigrate";
    private static final String SUPERUSER = "postgres";

    private final Path dataDir;
    private EmbeddedPostgres postgres;
    private ConnectionSettings settings;

    public EmbeddedDatabase(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public synchronized ConnectionSettings settings() throws DatabaseUnavailableException {
        if (settings == null) {
            settings = start();
        }
        return settings;
    }

    private ConnectionSettings start() throws DatabaseUnavailableException {
        try {
            Files.createDirectories(dataDir.getParent());
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL in " + dataDir + " did not start: " + e.getMessage()
                    + " (is another safemigrate process using it?)", e);
        }
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
        try {
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                CatalogSearchPath.pin(c);
                ensureRole(c);
                ensureDevDatabase(c);
            }
            // also upgrades a data directory from before the role existed: database, schemas,
            // tables and flyway_schema_history owned by postgres become the role's
            try (Connection c = postgres.getDatabase(SUPERUSER, DATABASE).getConnection()) {
                DatabaseHandover.handOver(c, ROLE);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL started but " + DATABASE
                    + " could not be prepared: " + e.getMessage(), e);
        }
        return new ConnectionSettings(url, ROLE, null);
    }

    /** Created once; its powers are stripped on every start, whatever someone granted it since. */
    private static void ensureRole(Connection c) throws SQLException {
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("select 1 from pg_catalog.pg_roles where rolname = ?")) {
            s.setString(1, ROLE);
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + ROLE
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            for (String power : List.of("pg_execute_server_program", "pg_read_server_files", "pg_write_server_files",
                    "pg_signal_backend")) {
                s.execute("REVOKE " + power + " FROM " + ROLE);
            }
        }
    }

    private static void ensureDevDatabase(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("select 1 from pg_catalog.pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            s.execute("ALTER DATABASE " + DATABASE + " SET safemigrate.environment = 'dev'");
        }
    }

    @Override
    public String describe() {
        return "the embedded PostgreSQL in " + dataDir;
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("safemigrate: stopping the embedded PostgreSQL failed: " + e.getMessage());
            }
            postgres = null;
            settings = null;
        }
    }
}
