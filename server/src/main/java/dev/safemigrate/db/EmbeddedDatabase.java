package dev.safemigrate.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL started by this process, its data kept under {@code .safemigrate/pgdata} so it
 * survives restarts. The database is created on first start and marked {@code dev}.
 */
public final class EmbeddedDatabase implements DatabaseSource {

    public static final String DATABASE = "safemigrate_dev";
    private static final String USER = "postgres";

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
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            ensureDevDatabase(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL started but " + DATABASE
                    + " could not be prepared: " + e.getMessage(), e);
        }
        return new ConnectionSettings(url, USER, null);
    }

    private static void ensureDevDatabase(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("create database " + DATABASE);
            s.execute("alter database " + DATABASE + " set safemigrate.environment = 'dev'");
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
