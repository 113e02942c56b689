package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Where Flyway keeps its history in this database, and whether it is there: Flyway's own
 * connections use the first schema of the search_path a new session gets, which the identity
 * probe read before pinning ({@code current_schemas(false)}), so one round trip on the proven
 * connection answers it without opening a connection with the migrations' path. Every name in
 * the query is qualified: a migration cannot redirect the answer.
 *
 * @param schema the schema Flyway uses; null when no schema of the search_path exists (Flyway creates one)
 * @param table  the layout's history table: Flyway's {@code flyway_schema_history}, or the team's tool's
 *               ({@code _prisma_migrations}), which the layout's history reads and records in
 * @param exists whether {@code table} is in it
 * @param schemaHasObjects whether the schema holds tables, functions or types of its own
 */
public record SchemaHistory(String schema, String table, boolean exists, boolean schemaHasObjects) {

    public static final String FLYWAY = "flyway_schema_history";

    /** {@code %1$s}: the schema's name, a parameter or an expression; {@code %2$s} the table, a constant of the layout. */
    private static final String QUERY_FOR = """
            select n.nspname, pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) operator(pg_catalog.||) '.%2$s') is not null,
                   exists (select 1 from pg_catalog.pg_class c where c.relnamespace operator(pg_catalog.=) n.oid)
                   or exists (select 1 from pg_catalog.pg_proc p where p.pronamespace operator(pg_catalog.=) n.oid)
                   or exists (select 1 from pg_catalog.pg_type t where t.typnamespace operator(pg_catalog.=) n.oid
                              and t.typtype operator(pg_catalog.<>) 'c' and t.typelem operator(pg_catalog.=) 0)
            from pg_catalog.pg_namespace n where n.nspname operator(pg_catalog.=) %1$s
            """;

    private static String query(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a history table: " + table);
        }
        return QUERY_FOR.formatted("?", table);
    }

    /**
     * The same question for the first existing schema of the session's search_path, as one statement
     * the identity probe sends in its round trip before it pins the path (so the path is the one a
     * new session gets, which Flyway's connections get). The schema's name comes back first.
     */
    static String forFirstSchema(String table) {
        query(table);
        return QUERY_FOR.formatted("(pg_catalog.current_schemas(false))[1]", table);
    }

    /** Reads {@link #forFirstSchema}'s result: no row when the path has no existing schema. */
    static SchemaHistory fromFirstSchema(ResultSet rs, String table) throws SQLException {
        try (rs) {
            if (!rs.next()) {
                return new SchemaHistory(null, table, false, false);
            }
            return new SchemaHistory(rs.getString(1), table, rs.getBoolean(2), rs.getBoolean(3));
        }
    }

    /**
     * @param searchPathSchemas the existing schemas of a new session's search_path, in order, as
     *                          {@link ObservedIdentity#searchPathSchemas()} holds them
     */
    public static SchemaHistory locate(Connection c, List<String> searchPathSchemas, String table) throws SQLException {
        if (searchPathSchemas.isEmpty()) {
            return new SchemaHistory(null, table, false, false);
        }
        String schema = searchPathSchemas.get(0);
        try (PreparedStatement s = c.prepareStatement(query(table))) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new SchemaHistory(null, table, false, false);   // dropped since the probe: Flyway creates it
                }
                return new SchemaHistory(schema, table, rs.getBoolean(2), rs.getBoolean(3));
            }
        }
    }

    /** @return the schema, when it has objects and no history table (Flyway then refuses to migrate); else null */
    public String missingOnNonEmptySchema() {
        return schema != null && !exists && schemaHasObjects ? schema : null;
    }

    /** @return the schema, when there is no history table in it; else null */
    public String missing() {
        return schema != null && !exists ? schema : null;
    }
}
