package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Catalog reads the tools report: which schemas exist and what they hold. */
public final class SchemaCatalog {

    /**
     * @param inSearchPath whether unqualified names resolve here: "my tables vanished" is most
     *                     often a schema that fell out of the search_path
     */
    public record SchemaSummary(String name, int tables, int views, boolean inSearchPath) {}

    public record TableName(String schema, String name) {
        public String qualified() {
            return quoteIdent(schema) + "." + quoteIdent(name);
        }
    }

    /** Schemas with their table and view counts; the caller marks those on the search_path. */
    static final String SCHEMAS = """
            select n.nspname,
                   pg_catalog.count(cl.oid) filter (where cl.relkind in ('r', 'p')),
                   pg_catalog.count(cl.oid) filter (where cl.relkind in ('v', 'm'))
            from pg_catalog.pg_namespace n
            left join pg_catalog.pg_class cl on cl.relnamespace = n.oid
            where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
              and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
            group by n.nspname
            order by n.nspname
            """;

    private SchemaCatalog() {}

    /**
     * @param searchPathSchemas the schemas migrations resolve names in, as the identity probe read
     *                          them before the connection's own path was pinned to pg_catalog
     */
    public static List<SchemaSummary> schemas(Connection c, List<String> searchPathSchemas) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SCHEMAS)) {
            return schemas(rs, searchPathSchemas);
        }
    }

    /** {@link #SCHEMAS}' rows, for a caller that sent it in a round trip with other reads. */
    static List<SchemaSummary> schemas(ResultSet rs, List<String> searchPathSchemas) throws SQLException {
        List<SchemaSummary> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new SchemaSummary(rs.getString(1), rs.getInt(2), rs.getInt(3), searchPathSchemas.contains(rs.getString(1))));
        }
        return out;
    }

    /** Ordinary tables holding rows (partition leaves, not their parents), user schemas only. */
    public static List<TableName> tables(Connection c) throws SQLException {
        String sql = """
                select n.nspname, cl.relname
                from pg_catalog.pg_class cl join pg_catalog.pg_namespace n on n.oid = cl.relnamespace
                where cl.relkind = 'r'
                  and n.nspname not in ('pg_catalog', 'information_schema')
                  and n.nspname not like 'pg\\_%'
                order by 1, 2
                """;
        List<TableName> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new TableName(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    public static long countRows(Connection c, TableName table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_catalog.count(*) from " + table.qualified())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static String quoteIdent(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}
