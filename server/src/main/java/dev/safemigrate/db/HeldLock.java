package dev.safemigrate.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A relation lock this backend holds, with PostgreSQL's mode name as in {@code pg_locks.mode}. */
public record HeldLock(String relation, String mode) implements Comparable<HeldLock> {

    /** Below this oid live the system catalogs, which our own catalog reads lock too. */
    private static final long FIRST_NORMAL_OBJECT_ID = 16384;

    /**
     * The locks this backend holds on user relations but those given as "oid/mode" in a text
     * array, one row each: relation oid, mode, qualified name. A transaction keeps its locks to
     * the end, so after many statements it holds many; asking only for the ones not seen yet
     * keeps each statement's read as small as what it added.
     */
    public static final String QUERY_NEW = """
            select l.relation::bigint, l.mode, n.nspname || '.' || c.relname
            from pg_catalog.pg_locks l
            left join pg_catalog.pg_class c on c.oid = l.relation left join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where l.pid = pg_catalog.pg_backend_pid() and l.locktype = 'relation' and l.granted
              and l.relation >= %d
              and (l.relation::pg_catalog.text || '/' || l.mode) not in (select pg_catalog.unnest(?::pg_catalog.text[]))"""
            .formatted(FIRST_NORMAL_OBJECT_ID);

    /**
     * The locks held so far, by relation oid and mode. Locks are only added while the dry run
     * goes: a statement's subtransaction passes its locks on to the transaction when released,
     * and the one rolled back to count what it destroys runs again and takes them again.
     */
    public static final class Known {
        private final Set<String> keys = new HashSet<>();
        private final StringBuilder array = new StringBuilder();

        /** For {@link #QUERY_NEW}'s parameter. */
        public String parameter() {
            return "{" + array + "}";
        }

        /**
         * Reads {@link #QUERY_NEW}'s rows and remembers them.
         *
         * @param names relation names seen in this dry run, for relations dropped since
         * @return the new locks, in order
         */
        public List<HeldLock> add(ResultSet rs, Map<Long, String> names) throws SQLException {
            Adding adding = adding(names);
            while (rs.next()) {
                adding.add(rs.getLong(1), rs.getString(2), rs.getString(3));
            }
            return adding.added();
        }

        /** For a reading whose rows come with others ({@link LockScan}). */
        Adding adding(Map<Long, String> names) {
            return new Adding(names);
        }

        /** One reading's new locks, remembered as they are added. */
        final class Adding {
            private final Map<Long, String> names;
            private final Set<HeldLock> added = new TreeSet<>();

            private Adding(Map<Long, String> names) {
                this.names = names;
            }

            /** @param name the qualified name, or null for a relation dropped since */
            void add(long oid, String mode, String name) {
                String key = oid + "/" + mode;
                if (keys.add(key)) {
                    array.append(array.length() == 0 ? "" : ",").append(key);
                }
                if (name == null) {
                    name = names.getOrDefault(oid, "oid " + oid);
                }
                if (!name.startsWith("pg_toast.")) {
                    added.add(new HeldLock(name, mode));
                }
            }

            List<HeldLock> added() {
                return List.copyOf(added);
            }
        }
    }

    @Override
    public int compareTo(HeldLock o) {
        int c = relation.compareTo(o.relation);
        return c != 0 ? c : mode.compareTo(o.mode);
    }
}
