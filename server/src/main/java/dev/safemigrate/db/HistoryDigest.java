package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What Flyway's history holds, in one value: the schema Flyway's own connections keep it in and
 * a digest of every row. Two equal digests mean Flyway would read the same history, so what it
 * said about it (info, validation) can be reused without loading Flyway again. Read the way
 * SchemaHistory reads it (the migration search_path, every function and operator qualified, so a
 * migration cannot redirect the answer).
 */
public record HistoryDigest(String schema, boolean exists, long rows, String md5) {

    private static final String WHERE = """
            select n.nspname,
                   pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) operator(pg_catalog.||) '.flyway_schema_history') is not null
            from pg_catalog.pg_namespace n where n.nspname operator(pg_catalog.=) pg_catalog.current_schema()""";

    /** @param c a connection with the search_path migrations see, as Flyway's own connections do */
    public static HistoryDigest read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String schema;
            try (ResultSet rs = s.executeQuery(WHERE)) {
                if (!rs.next()) {
                    return new HistoryDigest(null, false, 0, "");
                }
                schema = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    return new HistoryDigest(schema, false, 0, "");
                }
            }
            // the whole row as text: any column Flyway reads (checksum, success, type, …) changes the digest
            try (ResultSet rs = s.executeQuery("select pg_catalog.count(*), pg_catalog.md5(pg_catalog.string_agg(h::text, '|' "
                    + "order by h.installed_rank using operator(pg_catalog.<))) from "
                    + SchemaCatalog.quoteIdent(schema) + ".flyway_schema_history h")) {
                rs.next();
                return new HistoryDigest(schema, true, rs.getLong(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
    }
}
