package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The search_path the server's own queries run under. A database or role default such as
 * {@code search_path = "$user", public, pg_catalog} puts a schema the migrations may write before
 * pg_catalog, and a {@code public.current_database()} there would answer the server's identity
 * questions with a lie. With only pg_catalog (and temporary objects after it) on the path, and
 * every name in our SQL qualified besides, nothing a migration creates can stand in for a
 * built-in function, table or operator.
 */
public final class CatalogSearchPath {

    /** pg_temp named last: otherwise it is searched first for tables, ahead of pg_catalog. */
    public static final String PINNED = "pg_catalog, pg_temp";

    /** A select-list item pinning the path for the rest of the (sub)transaction; everything in it is qualified. */
    static final String PIN_LOCAL = "pg_catalog.set_config('search_path', '" + PINNED + "', true)";

    /** A SET statement looks nothing up, so it is safe whatever the path was before. */
    static final String SET_PINNED = "SET search_path TO " + PINNED;

    private CatalogSearchPath() {}

    /** For a connection that never runs migration SQL: pinned for the rest of the session. */
    public static void pin(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(SET_PINNED);
        }
    }

    /**
     * For the dry run, which runs migration SQL and our catalog reads in one transaction: pins
     * the path for this transaction and returns the path the migration had, to be put back with
     * {@link #restoreLocal} before its next statement so its own semantics do not change.
     */
    public static String pinLocal(Connection c) throws SQLException {
        // the target list is evaluated left to right: the current path is read before it is replaced
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pg_catalog.current_setting('search_path'), " + PIN_LOCAL)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public static void restoreLocal(Connection c, String searchPath) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_catalog.set_config('search_path', ?, true)")) {
            s.setString(1, searchPath);
            s.execute();
        }
    }
}
