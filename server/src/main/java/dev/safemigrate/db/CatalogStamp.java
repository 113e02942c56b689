package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the schema may have changed, in one cheap row: for each catalog {@link CatalogReader}
 * reads an object's key or state from, the number of its rows in the user's schemas and the sum of
 * their {@code xmin}. Every change to a catalog row (DDL, a rename, a dropped object) writes a new
 * row version whose {@code xmin} is newer than every row version there before it, so while the
 * count stays equal the sum can only grow: equal stamps mean no object changed. A different stamp
 * means "look" (read the objects: {@link SchemaState}), not drift: a {@code GRANT}, an owner or a
 * {@code TRUNCATE} also write new row versions and change no object. The flags PostgreSQL updates in
 * place, without a new row version, are counted as they are ({@code pg_index}'s, which
 * {@code CREATE INDEX CONCURRENTLY} sets); the other in-place updates (statistics that ANALYZE and
 * vacuum write into {@code pg_class}) are no object's state.
 *
 * <p>Why not a digest of the objects' definitions: printing them (pg_get_indexdef, format_type,
 * pg_get_expr…) costs ~10 ms on a 76-table schema, this ~2 ms, and status reads it whenever
 * anything committed in the cluster. The sums assume xids do not wrap around between two readings.
 */
public record CatalogStamp(String value) {

    static final String QUERY = "with ns as (select n.oid, n.xmin from pg_catalog.pg_namespace n where"
            + CatalogReader.USER_NAMESPACE + "),\n"
            + "rel as (select c.oid, c.xmin from pg_catalog.pg_class c where c.relnamespace in (select oid from ns))\n"
            + "select row(" + String.join(",\n", counted("ns", "true"), counted("rel", "true"),
            counted("pg_catalog.pg_attribute", "attrelid in (select oid from rel)"),
            counted("pg_catalog.pg_attrdef", "adrelid in (select oid from rel)"),
            counted("pg_catalog.pg_constraint", "connamespace in (select oid from ns)"),
            "(select row(pg_catalog.count(*), pg_catalog.sum(x.xmin::pg_catalog.text::pg_catalog.int8), "
                    + "pg_catalog.count(*) filter (where x.indisvalid and x.indisready and x.indislive)) "
                    + "from pg_catalog.pg_index x where x.indrelid in (select oid from rel))",
            counted("pg_catalog.pg_rewrite", "ev_class in (select oid from rel)"),
            counted("pg_catalog.pg_proc", "pronamespace in (select oid from ns)"),
            counted("pg_catalog.pg_type", "typnamespace in (select oid from ns)"),
            counted("pg_catalog.pg_enum", "enumtypid in (select t.oid from pg_catalog.pg_type t where t.typnamespace "
                    + "in (select oid from ns))")) + ")::pg_catalog.text";

    private static String counted(String catalog, String where) {
        return "(select row(pg_catalog.count(*), pg_catalog.sum(x.xmin::pg_catalog.text::pg_catalog.int8)) from "
                + catalog + " x where " + where + ")";
    }

    public static CatalogStamp read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            return of(rs);
        }
    }

    /** The stamp's row, for a caller that sent {@link #QUERY} in a round trip with other reads. */
    static CatalogStamp of(ResultSet rs) throws SQLException {
        rs.next();
        return new CatalogStamp(rs.getString(1));
    }
}
