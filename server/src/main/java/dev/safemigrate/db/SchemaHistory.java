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
 * @param exists whether {@code flyway_schema_history} is in it
 * @param schemaHasObjects whether the schema holds tables, functions or types of its own
 */
public record SchemaHistory(String schema, boolean exists, boolean schemaHasObjects) {

    private static final String QUERY = """
            select pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) operator(pg_catalog.||) '.flyway_schema_history') is not null,
                   exists (select 1 from pg_catalog.pg_class c where c.relnamespace operator(pg_catalog.=) n.oid)
                   or exists (select 1 from pg_catalog.pg_proc p where p.pronamespace operator(pg_catalog.=) n.oid)
                   or exists (select 1 from pg_catalog.pg_type t where t.typnamespace operator(pg_catalog.=) n.oid
                              and t.typtype operator(pg_catalog.<>) 'c' and t.typelem operator(pg_catalog.=) 0)
            from pg_catalog.pg_namespace n where n.nspname operator(pg_catalog.=) ?
            """;

    /**
     * @param searchPathSchemas the existing schemas of a new session's search_path, in order, as
     *                          {@link ObservedIdentity#searchPathSchemas()} holds them
     */
    public static SchemaHistory locate(Connection c, List<String> searchPathSchemas) throws SQLException {
        if (searchPathSchemas.isEmpty()) {
            return new SchemaHistory(null, false, false);
        }
        String schema = searchPathSchemas.get(0);
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new SchemaHistory(null, false, false);   // dropped since the probe: Flyway creates it
                }
                return new SchemaHistory(schema, rs.getBoolean(1), rs.getBoolean(2));
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
