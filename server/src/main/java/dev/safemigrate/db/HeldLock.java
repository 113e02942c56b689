package dev.safemigrate.db;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A relation lock this backend holds, with PostgreSQL's mode name as in {@code pg_locks.mode}. */
public record HeldLock(String relation, String mode) implements Comparable<HeldLock> {

    /** The mode pg_locks shows for a SERIALIZABLE transaction's predicate lock on a relation. */
    static final String PREDICATE = "SIReadLock";

    /**
     * The locks held so far, by relation oid and mode. Locks are only added while the dry run
     * goes: a statement's subtransaction passes its locks on to the transaction when released,
     * and the one rolled back to count what it destroys runs again and takes them again.
     */
    public static final class Known {
        private final Set<Long> keys = new HashSet<>();

        boolean contains(long key) {
            return keys.contains(key);
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

            /**
             * @param key the lock's key ({@link LockScan#key})
             * @param name the qualified name, or null for a relation dropped since
             * @return whether the lock was not known before
             */
            boolean add(long key, long oid, String mode, String name) {
                boolean fresh = keys.add(key);
                if (name == null) {
                    name = names.getOrDefault(oid, "oid " + oid);
                }
                if (!name.startsWith("pg_toast.")) {
                    added.add(new HeldLock(name, mode));
                }
                return fresh;
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
