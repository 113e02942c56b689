package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import org.postgresql.Driver;

import dev.safemigrate.config.Redactor;

/** Where and as whom to connect. Never printed with its password. */
public record ConnectionSettings(String url, String user, String password) {

    /** The hosts named in the URL: a multi-host URL names several, and each must be allowed. */
    public List<String> hosts() {
        return List.of(parsedUrl().getProperty("PGHOST", "localhost").split(","));
    }

    public int port() {
        String ports = parsedUrl().getProperty("PGPORT", "5432");
        return Integer.parseInt(ports.split(",")[0]);
    }

    /**
     * The database the URL names: what pg_dump and pg_restore are given, never a name read back
     * from the database. Empty when the URL names none.
     */
    public String database() {
        return parsedUrl().getProperty("PGDBNAME", "");
    }

    /** The same database as another role: a person's administrator login for setting up a role. */
    public ConnectionSettings as(String otherUser, String otherPassword) {
        return new ConnectionSettings(url, otherUser, otherPassword);
    }

    /**
     * A connection for the server's own queries, its search_path pinned to pg_catalog. Migration
     * SQL must never run on it: it would resolve names differently than Flyway does.
     */
    public Connection openPinned() throws SQLException {
        Connection c = open();
        try {
            CatalogSearchPath.pin(c);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** A connection as the database's defaults leave it: for the dry run, which runs migration SQL. */
    public Connection open() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "safemigrate");
        props.setProperty("connectTimeout", "10");
        Connection c = new Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + Redactor.withoutParameters(url));
        }
        return c;
    }

    private Properties parsedUrl() {
        Properties p = Driver.parseURL(url, null);
        if (p == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + Redactor.withoutParameters(url));
        }
        return p;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[url=" + Redactor.withoutParameters(url) + ", user=" + user + "]";
    }
}
