package dev.safemigrate.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What the tracer reads from pg_locks after each statement, in one pass: the relation locks not
 * seen before ({@link HeldLock.Known}) and the row counters of the tables held RowExclusiveLock
 * ({@link RowChangeCounter}). {@code pg_locks} is a view over {@code pg_lock_status()}, which
 * copies the whole shared lock table on every call: a dry run holds a lock on every relation it
 * created or touched (thousands, late in a long history), so that copy is the cost, and the two
 * readings share it (a materialized CTE) instead of making it twice.
 */
final class LockScan {

    /**
     * The first parameter: the locks already known, as "oid/mode" (see {@link HeldLock.Known#parameter()}).
     * Rows: whether the row is a new lock (else a row counter), relation oid, mode, qualified name,
     * rows updated, rows deleted. Every function and operator is qualified (see {@link CatalogSearchPath}).
     */
    static final String QUERY = """
            with l as materialized (
              select l.relation, l.mode from pg_catalog.pg_locks l
              where l.pid operator(pg_catalog.=) pg_catalog.pg_backend_pid() and l.locktype operator(pg_catalog.=) 'relation'
                and l.granted and l.relation operator(pg_catalog.>=) 16384)
            select true, l.relation::pg_catalog.int8, l.mode,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname, null::pg_catalog.int8, null::pg_catalog.int8
            from l left join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) l.relation
                   left join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where (l.relation::pg_catalog.text operator(pg_catalog.||) '/' operator(pg_catalog.||) l.mode)
                  not in (select pg_catalog.unnest(?::pg_catalog.text[]))
            union all
            select false, l.relation::pg_catalog.int8, l.mode,
                   n.nspname operator(pg_catalog.||) '.' operator(pg_catalog.||) c.relname,
                   pg_catalog.pg_stat_get_xact_tuples_updated(l.relation), pg_catalog.pg_stat_get_xact_tuples_deleted(l.relation)
            from l join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) l.relation
                   join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
            where l.mode operator(pg_catalog.=) 'RowExclusiveLock' and c.relkind operator(pg_catalog.=) 'r'""";

    private LockScan() {}

    static void parameters(PreparedStatement s, int index, HeldLock.Known known) throws SQLException {
        s.setString(index, known.parameter());
    }

    /**
     * Reads {@link #QUERY}'s rows: the new locks into {@code known}, the counters into {@code counts}.
     *
     * @param names relation names seen in this dry run, for relations dropped since
     * @return the new locks, in order
     */
    static List<HeldLock> read(ResultSet rs, HeldLock.Known known, Map<Long, String> names,
                               Map<Long, RowChangeCounter.Counts> counts) throws SQLException {
        HeldLock.Known.Adding adding = known.adding(names);
        counts.clear();
        while (rs.next()) {
            long oid = rs.getLong(2);
            if (rs.getBoolean(1)) {
                adding.add(oid, rs.getString(3), rs.getString(4));
            } else {
                counts.put(oid, new RowChangeCounter.Counts(rs.getString(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        return adding.added();
    }
}
