package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What Flyway's history holds, in one value: where it is and a digest of every row. Two equal
 * digests mean Flyway would read the same history, so what it said about it (info, validation)
 * can be reused without loading Flyway again. Every function and operator is qualified, so a
 * migration cannot redirect the answer.
 */
public record HistoryDigest(SchemaHistory where, long rows, String md5) {

    public static HistoryDigest read(Connection c, SchemaHistory where) throws SQLException {
        if (!where.exists()) {
            return new HistoryDigest(where, 0, "");
        }
        // the whole row as text: any column Flyway reads (checksum, success, type, …) changes the digest
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_catalog.count(*), "
                + "pg_catalog.md5(pg_catalog.string_agg(h::text, '|' order by h.installed_rank using operator(pg_catalog.<))) from "
                + SchemaCatalog.quoteIdent(where.schema()) + ".flyway_schema_history h")) {
            rs.next();
            return new HistoryDigest(where, rs.getLong(1), rs.getString(2) == null ? "" : rs.getString(2));
        }
    }
}
