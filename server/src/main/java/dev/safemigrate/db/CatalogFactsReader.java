package dev.safemigrate.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.CatalogFacts;

/**
 * Reads {@link CatalogFacts} for the tables a migration names, in one catalog query: their
 * columns' types, the planner's row estimate ({@code reltuples}) and their total size. Nothing
 * here reads a table's rows, so it costs the same on an empty table and a huge one. The names
 * are passed as a parameter, never spliced into SQL: they come from migration text an agent wrote.
 *
 * <p>An unqualified name is resolved along the schemas of the search_path the migrations run
 * with (the database's and role's default, as {@link IdentityProbe} read it before the connection
 * pinned its own): that is the table PostgreSQL would pick.
 */
public final class CatalogFactsReader {

    private static final String TABLES = """
            select n.nspname, c.relname, c.reltuples::bigint, pg_catalog.pg_total_relation_size(c.oid),
                   a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
            from pg_catalog.pg_class c
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'p', 'm') and c.relname = any(?::pg_catalog.name[])
            order by n.nspname, c.relname, a.attnum""";

    private CatalogFactsReader() {}

    /**
     * @param searchPath the schemas an unqualified name is looked up in, in order (the migrations'
     *                   own path, not the pinned one this connection's queries run under)
     */
    public static CatalogFacts read(Connection c, Collection<String> targets, List<String> searchPath, String serverVersion)
            throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        targets.forEach(t -> names.add(t.substring(t.lastIndexOf('.') + 1)));
        Map<String, Builder> found = new LinkedHashMap<>();
        if (!names.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(TABLES)) {
                Array array = c.createArrayOf("text", names.toArray());
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Builder b = found.computeIfAbsent(rs.getString(1) + "." + rs.getString(2),
                                k -> new Builder());
                        b.schema = rs.getString(1);
                        b.name = rs.getString(2);
                        b.rows = rs.getLong(3);
                        b.bytes = rs.getLong(4);
                        if (rs.getString(5) != null) {
                            b.columns.put(rs.getString(5), rs.getString(6));
                        }
                    }
                }
            }
        }
        Map<String, CatalogFacts.Table> tables = new HashMap<>();
        for (String target : targets) {
            CatalogFacts.Table t = resolve(target, found, searchPath);
            if (t != null) {
                tables.put(target, t);
            }
        }
        return new CatalogFacts(serverVersion, tables);
    }

    private static CatalogFacts.Table resolve(String target, Map<String, Builder> found, List<String> searchPath) {
        if (target.indexOf('.') >= 0) {
            Builder b = found.get(target);
            return b == null ? null : b.build();
        }
        for (String schema : searchPath) {
            Builder b = found.get(schema + "." + target);
            if (b != null) {
                return b.build();
            }
        }
        return null;
    }

    private static final class Builder {
        String schema;
        String name;
        long rows;
        long bytes;
        final Map<String, String> columns = new LinkedHashMap<>();

        CatalogFacts.Table build() {
            return new CatalogFacts.Table(schema, name, rows, bytes, columns);
        }
    }
}
