package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The history tables other migration tools keep, found in the catalog: a database another tool
 * manages must be adopted by a person, not migrated over by Flyway. Schema-qualified catalog
 * names throughout, so that an object named like a catalog table in the search_path cannot answer.
 */
public final class OtherMigrationTools {

    /** One history table found: which tool keeps it, and where it is. */
    public record Found(String tool, String schema, String table) {}

    private static final String QUERY = """
            select n.nspname, c.relname
              from pg_catalog.pg_class c
              join pg_catalog.pg_namespace n on n.oid = c.relnamespace
             where c.relkind in ('r', 'p', 'v')
               and c.relname in ('_prisma_migrations', 'schema_migrations', 'django_migrations', 'databasechangelog')
               and n.nspname not in ('pg_catalog', 'information_schema')
               and n.nspname not like 'pg\\_%'
             order by n.nspname, c.relname
            """;

    private OtherMigrationTools() {}

    public static List<Found> find(Connection c) throws SQLException {
        List<Found> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                found.add(new Found(tool(rs.getString(2)), rs.getString(1), rs.getString(2)));
            }
        }
        return found;
    }

    /** Which tool keeps a history table of this name. */
    public static String tool(String table) {
        return switch (table) {
            case "_prisma_migrations" -> "Prisma";
            case "django_migrations" -> "Django";
            case "databasechangelog" -> "Liquibase";
            // golang-migrate and dbmate use the same name as Rails
            default -> "Rails (or golang-migrate / dbmate)";
        };
    }
}
