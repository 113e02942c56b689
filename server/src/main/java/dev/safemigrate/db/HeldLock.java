package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A relation lock this backend holds, with PostgreSQL's mode name as in {@code pg_locks.mode}. */
public record HeldLock(String relation, String mode) implements Comparable<HeldLock> {

    /** Below this oid live the system catalogs, which our own catalog reads lock too. */
    private static final long FIRST_NORMAL_OBJECT_ID = 16384;

    /** @param names relation names from before the statement, for relations it dropped */
    public static Set<HeldLock> read(Connection c, Map<Long, String> names) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            return from(rs, names);
        }
    }

    /**
     * The locks this backend holds on user relations, one row each: relation oid, mode, qualified
     * name, and the rows this transaction updated and deleted in it ({@link RowChangeCounter}).
     */
    public static final String QUERY = """
            select l.relation::bigint, l.mode, n.nspname || '.' || c.relname%s
            from pg_catalog.pg_locks l
            left join pg_catalog.pg_class c on c.oid = l.relation left join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where l.pid = pg_catalog.pg_backend_pid() and l.locktype = 'relation' and l.granted
              and l.relation >= %d""".formatted(RowChangeCounter.COLUMNS, FIRST_NORMAL_OBJECT_ID);

    /** Reads {@link #QUERY}'s rows, for a caller that sent it together with other statements. */
    public static Set<HeldLock> from(ResultSet rs, Map<Long, String> names) throws SQLException {
        return from(rs, names, new java.util.HashMap<>());
    }

    /** @param rowCounts filled with the row counters of the same rows */
    static Set<HeldLock> from(ResultSet rs, Map<Long, String> names, Map<Long, RowChangeCounter.Counts> rowCounts)
            throws SQLException {
        Set<HeldLock> locks = new TreeSet<>();
        while (rs.next()) {
            RowChangeCounter.read(rs, rowCounts);
            String name = rs.getString(3);
            if (name == null) {
                name = names.getOrDefault(rs.getLong(1), "oid " + rs.getLong(1));
            }
            if (name.startsWith("pg_toast.")) {
                continue;
            }
            locks.add(new HeldLock(name, rs.getString(2)));
        }
        return locks;
    }

    @Override
    public int compareTo(HeldLock o) {
        int c = relation.compareTo(o.relation);
        return c != 0 ? c : mode.compareTo(o.mode);
    }
}
