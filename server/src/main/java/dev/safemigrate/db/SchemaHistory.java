package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Whether Flyway's history table exists in the schema Flyway keeps it in. */
public final class SchemaHistory {

    private static final String QUERY = """
            select pg_catalog.to_regclass(pg_catalog.quote_ident(?) || '.flyway_schema_history') is not null
            """;

    private SchemaHistory() {}

    /** @param schema Flyway's default schema: the first existing schema of the search_path migrations see */
    public static boolean exists(Connection c, String schema) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
