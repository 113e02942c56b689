package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a least-privileged role the owner of one database and of everything migrations change in
 * it: the database, its non-system schemas, and the tables, views, sequences, functions and types
 * in them (a migration can only ALTER or DROP what its role owns). Run by an administrator on a
 * connection to that database; idempotent, so an existing database, e.g. one an older safemigrate
 * created as postgres with tables and flyway_schema_history in it, is upgraded in place. Objects
 * that belong to an extension stay with it.
 */
public final class DatabaseHandover {

    /** Schemas of user objects: not PostgreSQL's own, not temporary, not an extension's. */
    private static final String USER_SCHEMA = """
            n.nspname operator(pg_catalog.!~) '^(pg_|information_schema$)'
            and not exists (select 1 from pg_catalog.pg_depend e where e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                            and e.objid = n.oid and e.deptype = 'e')""";

    private static final String NOT_EXTENSION_MEMBER = """
            not exists (select 1 from pg_catalog.pg_depend e where e.classid = '%s'::pg_catalog.regclass
                        and e.objid = %s and e.deptype = 'e')""";

    private static final String ROLE_OID = "(select r.oid from pg_catalog.pg_roles r where r.rolname = ?)";

    /** Each query returns the statements to run; {@code ?} is the role's name. */
    private static final List<String> OWNERSHIP = List.of(
            // PG15's public schema is owned by pg_database_owner, which is whoever owns the database
            """
            select 'ALTER SCHEMA ' || pg_catalog.quote_ident(n.nspname) || ' OWNER TO '
            from pg_catalog.pg_namespace n
            where n.nspowner not in (select r.oid from pg_catalog.pg_roles r where r.rolname in (?, 'pg_database_owner'))
              and %s
            """.formatted(USER_SCHEMA),
            // a sequence owned by a column (serial, identity) follows its table and cannot be given away alone
            """
            select 'ALTER ' || case c.relkind when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW'
                                              when 'S' then 'SEQUENCE' when 'f' then 'FOREIGN TABLE' else 'TABLE' end
                   || ' ' || c.oid::pg_catalog.regclass::pg_catalog.text || ' OWNER TO '
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and c.relowner <> %s and %s and %s
              and not (c.relkind = 'S' and exists (select 1 from pg_catalog.pg_depend d
                       where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.objid = c.oid
                         and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and d.deptype in ('a', 'i')))
            """.formatted(ROLE_OID, USER_SCHEMA, NOT_EXTENSION_MEMBER.formatted("pg_catalog.pg_class", "c.oid")),
            """
            select 'ALTER ROUTINE ' || p.oid::pg_catalog.regprocedure::pg_catalog.text || ' OWNER TO '
            from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where p.proowner <> %s and %s and %s
            """.formatted(ROLE_OID, USER_SCHEMA, NOT_EXTENSION_MEMBER.formatted("pg_catalog.pg_proc", "p.oid")),
            // enums, domains, ranges and standalone composite types; array and table row types follow their owner
            """
            select 'ALTER TYPE ' || t.oid::pg_catalog.regtype::pg_catalog.text || ' OWNER TO '
            from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
            where t.typowner <> %s and %s and %s
              and (t.typtype in ('e', 'd', 'r')
                   or (t.typtype = 'c' and (select c.relkind from pg_catalog.pg_class c where c.oid = t.typrelid) = 'c'))
            """.formatted(ROLE_OID, USER_SCHEMA, NOT_EXTENSION_MEMBER.formatted("pg_catalog.pg_type", "t.oid")));

    private DatabaseHandover() {}

    /** @param c an administrator's connection to the database to hand over */
    public static void handOver(Connection c, String role) throws SQLException {
        CatalogSearchPath.pin(c);
        String owner = SchemaCatalog.quoteIdent(role);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + SchemaCatalog.quoteIdent(currentDatabase(c)) + " OWNER TO " + owner);
        }
        for (String query : OWNERSHIP) {
            for (String statement : statements(c, query, role)) {
                try (Statement s = c.createStatement()) {
                    s.execute(statement + owner);
                }
            }
        }
    }

    private static List<String> statements(Connection c, String query, String role) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, role);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_catalog.current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
