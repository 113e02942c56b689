package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a {@link CatalogSnapshot} on a connection, seeing that connection's own uncommitted
 * changes: this is what lets a dry run compare the schema before and after each statement.
 */
public final class CatalogReader {

    /** Schemas that belong to PostgreSQL itself, never to a migration. */
    // leading space: a text block drops the trailing space of the line it is appended to
    private static final String USER_NAMESPACE = " " + """
            n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
            and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'""";

    private static final String RELATIONS = """
            select c.oid, n.nspname, c.relname, c.relkind, c.relfilenode,
                   case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) end
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm', 'S', 'i', 'I', 'f') and """ + USER_NAMESPACE;

    private static final String COLUMNS = """
            select n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_catalog.pg_get_expr(d.adbin, d.adrelid)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f') and """ + USER_NAMESPACE;

    private static final String CONSTRAINTS = """
            select n.nspname, c.relname, k.conname, k.contype, k.convalidated, pg_catalog.pg_get_constraintdef(k.oid)
            from pg_catalog.pg_constraint k
            join pg_catalog.pg_class c on c.oid = k.conrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where """ + USER_NAMESPACE;

    private static final String INDEXES = """
            select n.nspname, i.relname, pg_catalog.pg_get_indexdef(i.oid), x.indisvalid
            from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid join pg_catalog.pg_namespace n on n.oid = i.relnamespace
            where """ + USER_NAMESPACE;

    private static final String FUNCTIONS = """
            select n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', pg_catalog.md5(p.prosrc),
                   pg_catalog.pg_get_function_result(p.oid)
            from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where """ + USER_NAMESPACE;

    private static final String TYPES = """
            select n.nspname, t.typname, t.typtype,
                   coalesce((select pg_catalog.string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')
            from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
            where t.typtype in ('e', 'd', 'c') and (t.typrelid = 0 or (select relkind from pg_catalog.pg_class where oid = t.typrelid) = 'c')
              and """ + USER_NAMESPACE;

    private static final String SCHEMAS = "select n.nspname from pg_catalog.pg_namespace n where " + USER_NAMESPACE
            + " and n.nspname not like 'pg\\_%'";

    private CatalogReader() {}

    /** The seven reads in one round trip: a dry run re-reads the catalog after every statement that wrote to it. */
    private static final String ALL = String.join(";\n", SCHEMAS, RELATIONS, COLUMNS, CONSTRAINTS, INDEXES, FUNCTIONS, TYPES);

    public static CatalogSnapshot read(Connection c) throws SQLException {
        Map<String, String> objects = new HashMap<>();
        Map<String, Long> relfilenodes = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (Statement s = c.createStatement()) {
            s.execute(ALL);
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    objects.put("schema " + rs.getString(1), "");
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    String name = rs.getString(2) + "." + rs.getString(3);
                    String kind = relationKind(rs.getString(4));
                    names.put(rs.getLong(1), name);
                    if (!kind.equals("index")) {
                        objects.put(kind + " " + name, rs.getString(6) == null ? "" : rs.getString(6));
                    }
                    if (kind.equals("table") || kind.equals("materialized view")) {
                        relfilenodes.put(name, rs.getLong(5));
                    }
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    objects.put("column " + rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3),
                            rs.getString(4) + (rs.getBoolean(5) ? " not null" : " null")
                                    + (rs.getString(6) == null ? "" : " default " + rs.getString(6)));
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    objects.put("constraint " + rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3),
                            rs.getString(6) + (rs.getBoolean(5) ? "" : " (not validated)"));
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    objects.put("index " + rs.getString(1) + "." + rs.getString(2),
                            rs.getString(3) + (rs.getBoolean(4) ? "" : " (invalid)"));
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    objects.put("function " + rs.getString(1) + "." + rs.getString(2),
                            "returns " + rs.getString(4) + " body " + rs.getString(3));
                }
            }
            try (ResultSet rs = next(s)) {
                while (rs.next()) {
                    objects.put("type " + rs.getString(1) + "." + rs.getString(2), rs.getString(3) + " " + rs.getString(4));
                }
            }
        }
        return new CatalogSnapshot(objects, relfilenodes, names);
    }

    private static ResultSet next(Statement s) throws SQLException {
        if (!s.getMoreResults()) {
            throw new SQLException("the catalog read returned fewer result sets than it asked for");
        }
        return s.getResultSet();
    }

    private static String relationKind(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "S" -> "sequence";
            case "f" -> "foreign table";
            default -> "index";
        };
    }
}
