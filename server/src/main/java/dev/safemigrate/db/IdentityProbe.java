package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads, on an open connection, which database this really is. */
public final class IdentityProbe {

    private static final String QUERY = """
            select current_database(), current_user, host(inet_server_addr()), inet_server_port(),
                   current_setting('server_version'), current_setting('server_version_num')::int,
                   current_setting('search_path'), current_setting('safemigrate.environment', true),
                   pg_is_in_recovery()
            """;

    private IdentityProbe() {}

    public static ObservedIdentity read(Connection c, ConnectionSettings settings) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            String marker = rs.getString(8);
            int port = rs.getInt(4);
            return new ObservedIdentity(settings.hosts(), rs.wasNull() || port == 0 ? settings.port() : port,
                    rs.getString(1), rs.getString(2), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(3),
                    marker == null || marker.isBlank() ? null : marker.strip(), rs.getBoolean(9));
        }
    }
}
