package dev.safemigrate.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads, on an open connection, which database this really is and what the connecting role may
 * do, then pins the connection's search_path for every query the server runs on it after.
 *
 * <p>This is the one query that runs under the search_path the database and role defaults give
 * (it must: that path is what migrations see, and status reports it). So every function, table,
 * type and operator in it is qualified with pg_catalog; {@code current_user} is a keyword, not a
 * function lookup.
 */
public final class IdentityProbe {

    private static final String MARKER = "safemigrate.environment";

    private static final String QUERY = """
            select pg_catalog.current_database(), current_user, pg_catalog.host(pg_catalog.inet_server_addr()),
                   pg_catalog.inet_server_port(), pg_catalog.current_setting('server_version'),
                   pg_catalog.current_setting('server_version_num'), pg_catalog.current_setting('search_path'),
                   pg_catalog.current_setting('%1$s', true), pg_catalog.pg_is_in_recovery(),
                   pg_catalog.current_schemas(false),
                   (select s.setconfig from pg_catalog.pg_db_role_setting s, pg_catalog.pg_database d
                     where d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()
                       and s.setdatabase OPERATOR(pg_catalog.=) d.oid
                       and s.setrole OPERATOR(pg_catalog.=) 0::pg_catalog.oid),
                   %2$s
            from pg_catalog.pg_roles r
            where r.rolname OPERATOR(pg_catalog.=) current_user
            """.formatted(MARKER, Arrays.stream(RolePower.values()).map(RolePower::column)
            .collect(Collectors.joining(", ")));

    private IdentityProbe() {}

    /** Leaves {@code c} with its search_path pinned to pg_catalog ({@link CatalogSearchPath}). */
    public static ObservedIdentity read(Connection c, ConnectionSettings settings) throws SQLException {
        ObservedIdentity observed;
        // one round trip: the probe runs first, under the path a new session gets, then the pin
        try (Statement s = c.createStatement()) {
            s.execute(QUERY + ";\n" + CatalogSearchPath.SET_PINNED);
            ResultSet rs = s.getResultSet();
            if (!rs.next()) {
                throw new SQLException("the connecting role is not in pg_roles");
            }
            int port = rs.getInt(4);
            boolean noPort = rs.wasNull() || port == 0;
            List<String> powers = new ArrayList<>();
            int column = 12;
            for (RolePower p : RolePower.values()) {
                if (rs.getBoolean(column++)) {
                    powers.add(p.label());
                }
            }
            observed = new ObservedIdentity(settings.hosts(), noPort ? settings.port() : port, settings.database(),
                    rs.getString(1), rs.getString(2), rs.getString(5), Integer.parseInt(rs.getString(6)),
                    rs.getString(7), strings(rs.getArray(10)), rs.getString(3),
                    databaseMarker(strings(rs.getArray(11))), blankToNull(rs.getString(8)), rs.getBoolean(9), powers);
            rs.close();
            if (s.getMoreResults() || s.getUpdateCount() == -1) {
                throw new SQLException("the search_path was not pinned after the identity probe");
            }
        }
        return observed;
    }

    /**
     * The marker as the database itself sets it ({@code ALTER DATABASE … SET}), which only its
     * owner or a superuser can change. The value this session sees may come from elsewhere: a
     * role can set defaults for itself ({@code ALTER ROLE CURRENT_USER SET …}) that win over the
     * database's, and a connection URL can pass options.
     */
    private static String databaseMarker(List<String> settings) {
        String prefix = MARKER + "=";
        return settings.stream().filter(s -> s.startsWith(prefix)).map(s -> blankToNull(s.substring(prefix.length())))
                .reduce((a, b) -> b).orElse(null);
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
        } finally {
            array.free();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
