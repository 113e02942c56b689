package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Whether Flyway's history table exists where Flyway looks for it: the first existing schema of the search_path. */
public final class SchemaHistory {

    private static final String QUERY = """
            select pg_catalog.current_schema(),
                   pg_catalog.to_regclass(pg_catalog.quote_ident(pg_catalog.current_schema()) || '.flyway_schema_history') is not null
            """;

    private SchemaHistory() {}

    /** @return the schema Flyway keeps its history in, when the history table is not there; null when it is */
    public static String missingIn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            return rs.getBoolean(2) ? null : rs.getString(1);
        }
    }
}
