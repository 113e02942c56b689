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

    /**
     * Beside the probe on a session that may be kept: the database and role defaults a new session
     * would start with, digested, and what the cluster's rows look like now ({@link Reading#visibility()}).
     * {@code txid_current_snapshot()} rather than {@code pg_current_snapshot()}: the same snapshot,
     * and older servers have it too.
     */
    private static final String SESSION_STATE = """
            select (select pg_catalog.md5(coalesce(pg_catalog.string_agg(s.setdatabase::pg_catalog.text
                              OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) s.setrole::pg_catalog.text
                              OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) s.setconfig::pg_catalog.text, ','
                              order by s.setdatabase, s.setrole), ''))
                      from pg_catalog.pg_db_role_setting s
                     where s.setdatabase OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append('{0}'::pg_catalog.oid[],
                             (select d.oid from pg_catalog.pg_database d
                               where d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())))
                       and s.setrole OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append('{0}'::pg_catalog.oid[],
                             (select r.oid from pg_catalog.pg_roles r where r.rolname OPERATOR(pg_catalog.=) current_user)))),
                   pg_catalog.txid_current_snapshot()::pg_catalog.text OPERATOR(pg_catalog.||) ' since '
                     OPERATOR(pg_catalog.||) pg_catalog.pg_postmaster_start_time()::pg_catalog.text
            """;

    /**
     * How a session found itself before anything else in its round trip ran: a kept session must
     * still be as the server left it (path pinned, no other role) to be trusted with the next proof.
     * Keywords and qualified functions only: the path may not be the pinned one.
     */
    private static final String SESSION_BEFORE =
            "select pg_catalog.current_setting('search_path'), session_user, current_user";

    /**
     * A kept session gets back the search_path a new session would start with (the database and
     * role defaults, read when the session began, which {@link Session#defaults()} proves unchanged)
     * so the probe reads what migrations see, exactly as on a new session.
     */
    private static final String RESET_PATH = "RESET search_path";

    private IdentityProbe() {}

    /**
     * What the session was like before the proof, and the database and role defaults it runs under.
     *
     * @param searchPath  the session's search_path before the round trip (on a kept session: the pinned one)
     * @param sessionUser the role that logged in
     * @param currentUser the role in effect (differs after a SET ROLE)
     * @param defaults    digest of every {@code ALTER DATABASE/ROLE … SET} that applies to this
     *                    database and role: a new session starts with these, a running one keeps
     *                    those it started with
     */
    public record Session(String searchPath, String sessionUser, String currentUser, String defaults) {}

    /**
     * One round trip's reading: the identity, where Flyway's history is, and the session before it.
     *
     * @param visibility the current snapshot and the server's start time: equal in two readings
     *                   only when no transaction completed anywhere in the cluster in between, and
     *                   the server did not restart, so every table and catalog shows the same rows
     *                   (the proof {@link ClusterMark} rests on)
     */
    public record Reading(ObservedIdentity observed, SchemaHistory history, Session session, String visibility) {}

    /** Leaves {@code c} with its search_path pinned to pg_catalog ({@link CatalogSearchPath}). */
    public static ObservedIdentity read(Connection c, ConnectionSettings settings) throws SQLException {
        // one round trip: the probe runs first, under the path a new session gets, then the pin
        try (Statement s = c.createStatement()) {
            s.execute(QUERY + ";\n" + CatalogSearchPath.SET_PINNED);
            ObservedIdentity observed = observed(s.getResultSet(), settings);
            requirePinned(s);
            return observed;
        }
    }

    /**
     * The proof for a session that may have served earlier calls, in one round trip: how the session
     * was left, the search_path a new session gets put back, the probe under it ({@link #read}'s
     * query, unchanged), the defaults and the cluster's visibility ({@link #SESSION_STATE}), where Flyway's
     * history is for that path ({@link SchemaHistory#forFirstSchema}), then the pin. Works the
     * same on a new session. Leaves {@code c} pinned.
     */
    public static Reading readSession(Connection c, ConnectionSettings settings) throws SQLException {
        return readSession(c, settings, SchemaHistory.FLYWAY);
    }

    /** @param historyTable the layout's history table ({@link SchemaHistory#table()}) */
    public static Reading readSession(Connection c, ConnectionSettings settings, String historyTable) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(String.join(";\n", SESSION_BEFORE, RESET_PATH, QUERY, SESSION_STATE, SchemaHistory.forFirstSchema(historyTable),
                    CatalogSearchPath.SET_PINNED));
            ResultSet before = s.getResultSet();
            before.next();
            String searchPath = before.getString(1), sessionUser = before.getString(2), currentUser = before.getString(3);
            before.close();
            if (s.getMoreResults() || s.getUpdateCount() == -1 || !s.getMoreResults()) {
                throw new SQLException("the search_path was not reset before the identity probe");
            }
            ObservedIdentity observed = observed(s.getResultSet(), settings);
            if (!s.getMoreResults()) {
                throw new SQLException("the session's defaults were not read");
            }
            ResultSet state = s.getResultSet();
            state.next();
            String defaults = state.getString(1), visibility = state.getString(2);
            state.close();
            if (!s.getMoreResults()) {
                throw new SQLException("where Flyway's history is was not read");
            }
            SchemaHistory history = SchemaHistory.fromFirstSchema(s.getResultSet(), historyTable);
            requirePinned(s);
            return new Reading(observed, history, new Session(searchPath, sessionUser, currentUser, defaults), visibility);
        }
    }

    private static void requirePinned(Statement s) throws SQLException {
        if (s.getMoreResults() || s.getUpdateCount() == -1) {
            throw new SQLException("the search_path was not pinned after the identity probe");
        }
    }

    private static ObservedIdentity observed(ResultSet rs, ConnectionSettings settings) throws SQLException {
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
        return new ObservedIdentity(settings.hosts(), noPort ? settings.port() : port, settings.database(),
                rs.getString(1), rs.getString(2), rs.getString(5), Integer.parseInt(rs.getString(6)),
                rs.getString(7), strings(rs.getArray(10)), rs.getString(3),
                databaseMarker(strings(rs.getArray(11))), blankToNull(rs.getString(8)), rs.getBoolean(9), powers);
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
