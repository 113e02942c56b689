package dev.safemigrate.db;

/**
 * A power of the connecting role that reaches beyond its own database: to other databases, the
 * server's files and programs, other roles or other sessions. A migration run by a role holding
 * one can do what no lexical analysis reliably catches (a {@code production} marker removed from
 * another database, {@code COPY … TO PROGRAM}, {@code pg_read_file('.env.local')}), so the
 * database's own privilege system is the layer that must say no.
 *
 * @param label  how the identity block names it
 * @param column the expression in {@link IdentityProbe}'s query that says whether it is held
 */
public enum RolePower {
    SUPERUSER("superuser", "r.rolsuper"),
    CREATEROLE("createrole", "r.rolcreaterole"),
    CREATEDB("createdb", "r.rolcreatedb"),
    REPLICATION("replication", "r.rolreplication"),
    BYPASSRLS("bypassrls", "r.rolbypassrls"),
    // membership, direct or through other roles, whether inherited or only reachable by SET ROLE
    EXECUTE_SERVER_PROGRAM("pg_execute_server_program", member("pg_execute_server_program")),
    READ_SERVER_FILES("pg_read_server_files", member("pg_read_server_files")),
    WRITE_SERVER_FILES("pg_write_server_files", member("pg_write_server_files")),
    SIGNAL_BACKEND("pg_signal_backend", member("pg_signal_backend"));

    private final String label;
    private final String column;

    RolePower(String label, String column) {
        this.label = label;
        this.column = column;
    }

    public String label() {
        return label;
    }

    String column() {
        return column;
    }

    private static String member(String role) {
        return "pg_catalog.pg_has_role(r.oid, '" + role + "'::pg_catalog.name, 'MEMBER')";
    }
}
