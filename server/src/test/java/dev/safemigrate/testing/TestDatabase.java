package dev.safemigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL 15 for the whole test JVM; each test gets databases of its own, so tests
 * stay independent without paying for a server start each. Like a real setup made with
 * {@code mark-dev --create-role}, each database is owned by a least-privileged role
 * ({@link #APP_ROLE}) that the tests' safemigrate connects as; the superuser is for setting up
 * what a person or another database would have done, and for tests that prove it is refused.
 */
public final class TestDatabase {

    /** LOGIN, owner of each test database, no power beyond it. */
    public static final String APP_ROLE = "sm_app";
    public static final String SUPERUSER = "postgres";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {}

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create role " + APP_ROLE + " login");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create role " + APP_ROLE, e);
            }
        }
        return postgres;
    }

    public static int port() {
        return server().getPort();
    }

    /** Creates a fresh database; its name is {@code prefix} plus a unique suffix unless {@code exact}. */
    public static String create(String prefix) {
        return createExact(prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet());
    }

    /** A database owned by {@link #APP_ROLE}; PG15's public schema then belongs to it too. */
    public static String createExact(String name) {
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name);
            s.execute("create database " + name + " owner " + APP_ROLE);
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** As {@link #APP_ROLE}, the role safemigrate connects as: objects created here are its own. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), APP_ROLE, null);
    }

    public static Connection connectAsSuperuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), SUPERUSER, null);
    }

    /** As {@link #APP_ROLE}. */
    public static void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void executeAsSuperuser(String database, String sql) {
        try (Connection c = connectAsSuperuser(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** As the superuser, which sees everything. */
    public static long queryLong(String database, String sql) {
        try (Connection c = connectAsSuperuser(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static boolean tableExists(String database, String table) {
        return queryLong(database, "select count(*) from pg_class where relkind = 'r' and relname = '" + table + "'") > 0;
    }
}
