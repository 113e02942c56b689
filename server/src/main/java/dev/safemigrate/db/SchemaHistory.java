package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether Flyway would refuse to migrate because its schema holds objects but no history table.
 * Read the way Flyway's own connections see the database (the migration search_path, not the
 * server's pinned one), with every function qualified so the answer cannot be redirected.
 */
public final class SchemaHistory {

    private static final String QUERY = """
            with s as (select n.oid, n.nspname from pg_catalog.pg_namespace n
                       where n.nspname operator(pg_catalog.=) pg_catalog.current_schema())
            select s.nspname,
                   pg_catalog.to_regclass(pg_catalog.quote_ident(s.nspname) operator(pg_catalog.||) '.flyway_schema_history') is not null,
                   exists (select 1 from pg_catalog.pg_class c where c.relnamespace operator(pg_catalog.=) s.oid)
                   or exists (select 1 from pg_catalog.pg_proc p where p.pronamespace operator(pg_catalog.=) s.oid)
                   or exists (select 1 from pg_catalog.pg_type t where t.typnamespace operator(pg_catalog.=) s.oid
                              and t.typtype operator(pg_catalog.<>) 'c' and t.typelem operator(pg_catalog.=) 0)
            from s
            """;

    private SchemaHistory() {}

    /** @return the schema Flyway keeps its history in, when it has objects and no history table; else null */
    public static String missingOnNonEmptySchema(Connection migrationView) throws SQLException {
        return read(migrationView, true);
    }

    /** @return the schema Flyway keeps its history in, when there is no history table there; else null */
    public static String missingIn(ConnectionSettings settings) throws SQLException {
        try (Connection c = settings.open()) {
            return read(c, false);
        }
    }

    /** @param c a connection with the search_path migrations see, as Flyway's own connections do */
    private static String read(Connection c, boolean onlyWhenNonEmpty) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            if (!rs.next()) {
                return null;   // no schema on the search_path: Flyway creates one, nothing to adopt
            }
            return !rs.getBoolean(2) && (rs.getBoolean(3) || !onlyWhenNonEmpty) ? rs.getString(1) : null;
        }
    }
}
