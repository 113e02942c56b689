package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What Flyway's history holds, in one value: where it is and a digest of every row. Two equal
 * digests mean Flyway would read the same history, so what it said about it (info, validation)
 * can be reused without loading Flyway again. Every function and operator is qualified, so a
 * migration cannot redirect the answer.
 */
public record HistoryDigest(SchemaHistory where, long rows, String md5) {

    /**
     * The digest, the schemas status shows and the catalog's stamp (for drift), read in one round trip.
     *
     * @param catalog whether the schema may have changed ({@link CatalogStamp})
     */
    public record WithSchemas(HistoryDigest digest, List<SchemaCatalog.SchemaSummary> schemas, CatalogStamp catalog) {}

    public static HistoryDigest read(Connection c, SchemaHistory where) throws SQLException {
        if (!where.exists()) {
            return new HistoryDigest(where, 0, "");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query(where))) {
            return digest(where, rs);
        }
    }

    /**
     * @param searchPathSchemas as for {@link SchemaCatalog#schemas(Connection, List)}
     */
    public static WithSchemas readWithSchemas(Connection c, SchemaHistory where, List<String> searchPathSchemas)
            throws SQLException {
        // prepared, so that pgjdbc keeps it prepared on the kept connection: the stamp's ten subqueries plan once
        try (java.sql.PreparedStatement s = c.prepareStatement((where.exists() ? query(where) + ";\n" : "")
                + SchemaCatalog.SCHEMAS + ";\n" + CatalogStamp.QUERY)) {
            s.execute();
            HistoryDigest digest = new HistoryDigest(where, 0, "");
            if (where.exists()) {
                try (ResultSet rs = s.getResultSet()) {
                    digest = digest(where, rs);
                }
                next(s, "the schemas");
            }
            List<SchemaCatalog.SchemaSummary> schemas;
            try (ResultSet rs = s.getResultSet()) {
                schemas = SchemaCatalog.schemas(rs, searchPathSchemas);
            }
            next(s, "the catalog stamp");
            try (ResultSet rs = s.getResultSet()) {
                return new WithSchemas(digest, schemas, CatalogStamp.of(rs));
            }
        }
    }

    private static void next(Statement s, String what) throws SQLException {
        if (!s.getMoreResults()) {
            throw new SQLException(what + " were not read after the history digest");
        }
    }

    private static String query(SchemaHistory where) {
        // the whole row as text: any column the history is read from (checksum, success, finished_at, …) changes it
        String order = where.table().equals(SchemaHistory.FLYWAY) ? "h.installed_rank using operator(pg_catalog.<)"
                : "h::text using operator(pg_catalog.<)";
        return "select pg_catalog.count(*), pg_catalog.md5(pg_catalog.string_agg(h::text, '|' order by " + order + ")) from "
                + SchemaCatalog.quoteIdent(where.schema()) + "." + SchemaCatalog.quoteIdent(where.table()) + " h";
    }

    private static HistoryDigest digest(SchemaHistory where, ResultSet rs) throws SQLException {
        rs.next();
        return new HistoryDigest(where, rs.getLong(1), rs.getString(2) == null ? "" : rs.getString(2));
    }
}
