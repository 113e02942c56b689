package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a traced dry run could have seen of the cluster at one moment, read in one query, so that
 * two moments can be proven to show the same data: an apply may then reuse the dry run's trace.
 *
 * <p>The proof is PostgreSQL's own visibility rule. Every row a statement sees is decided by which
 * transactions had committed; {@code pg_current_snapshot()} names them (all below xmax except those
 * in progress). Two equal snapshots mean no transaction completed in between, anywhere in the
 * cluster, so every table — logged, unlogged or temporary — holds the same visible rows, because
 * a write to any of them needs a transaction id and becomes visible only when it commits. What
 * changes without a transaction is read separately: sequence values ({@code nextval} logs ahead
 * 32 values and then writes neither WAL nor a transaction id), a server restart, and unlogged and
 * temporary tables, which a crash empties without any transaction — their presence refuses the proof.
 *
 * <p>Not {@code pg_current_wal_insert_lsn()}: measured on PostgreSQL 15, it moves within seconds of
 * any activity with nothing changed (the background writer's running-transactions record every
 * 15 s, pruning of the dry run's own dead catalog rows by the next catalog read, vacuum), while the
 * snapshot stays equal through reads, {@code status}, {@code pg_dump} and a vacuum that frees rows.
 * It does change when a vacuum truncates a table (its ACCESS EXCLUSIVE lock is logged for standbys
 * under a transaction id): autovacuum does that to the catalogs a large dry run left full of dead
 * rows, usually within a minute of it, and the apply then traces again. Neither reading says
 * anything about commits during the dry run itself; {@link #committedSince} covers that window.
 *
 * <p>A changed snapshot is not yet a change: {@link VisibleContents} digests every row version this
 * database shows, and equal digests prove that the transactions completed in between changed
 * nothing a statement here can see. That is what survives autovacuum, whose ANALYZE and truncation
 * commit transactions that change no visible row. The digest costs a read of every table, so it is
 * read only after a trace and when the snapshots differ, and refused above a size.
 *
 * @param snapshot            {@code pg_current_snapshot()} as text: xmin:xmax:xip
 * @param volatileRelations   unlogged and temporary relations in this database
 * @param unreadableSequences sequences this role may not read, so their values cannot be compared
 * @param sequences           digest of every readable sequence's last value
 * @param committedSince      whether a transaction committed between the earlier mark this one was
 *                            read against and this one; false when read against none
 * @param contents            {@link VisibleContents}' digest in the same snapshot, or null: not read, or
 *                            {@code contentsUnavailable} says why it could not be
 */
public record ClusterMark(String snapshot, String systemIdentifier, long databaseOid, String serverStart,
                          long volatileRelations, long unreadableSequences, String sequences, boolean committedSince,
                          String contents, String contentsUnavailable) {

    /** A mark without the contents' digest: any completed transaction then counts as a change. */
    public ClusterMark(String snapshot, String systemIdentifier, long databaseOid, String serverStart,
                       long volatileRelations, long unreadableSequences, String sequences, boolean committedSince) {
        this(snapshot, systemIdentifier, databaseOid, serverStart, volatileRelations, unreadableSequences, sequences,
                committedSince, null, null);
    }

    /** Above this many transaction ids in between, the commits are not checked one by one: assumed. */
    private static final long MAX_XIDS_CHECKED = 1_000_000;

    /**
     * Every function, operator and cast is qualified: the proven connection's search_path is pinned,
     * but a mark must not depend on that. {@code ?} is the earlier mark's snapshot, or null.
     */
    private static final String QUERY = """
            with s1 as (select pg_catalog.pg_current_snapshot() s),
                 s0 as (select ?::pg_catalog.pg_snapshot s),
                 gap as (select pg_catalog.pg_snapshot_xmax(s1.s)::text::pg_catalog.int8
                                operator(pg_catalog.-) pg_catalog.pg_snapshot_xmax(s0.s)::text::pg_catalog.int8 n
                         from s0, s1)
            select s1.s::text,
                   (select system_identifier::text from pg_catalog.pg_control_system()),
                   (select d.oid::pg_catalog.int8 from pg_catalog.pg_database d
                    where d.datname operator(pg_catalog.=) pg_catalog.current_database()),
                   pg_catalog.pg_postmaster_start_time()::text,
                   (select pg_catalog.count(*) from pg_catalog.pg_class c
                    where c.relpersistence operator(pg_catalog.<>) 'p'),
                   (select pg_catalog.count(*) from pg_catalog.pg_sequence q
                    where not pg_catalog.has_sequence_privilege(q.seqrelid, 'SELECT,USAGE')),
                   (select pg_catalog.md5(coalesce(pg_catalog.string_agg(q.seqrelid::text operator(pg_catalog.||) ':'
                             operator(pg_catalog.||) coalesce(case when pg_catalog.has_sequence_privilege(q.seqrelid,
                             'SELECT,USAGE') then pg_catalog.pg_sequence_last_value(q.seqrelid)::text end, '-'), ','
                             order by q.seqrelid), ''))
                    from pg_catalog.pg_sequence q join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) q.seqrelid
                    where c.relpersistence operator(pg_catalog.<>) 't'),
                   coalesce((select gap.n operator(pg_catalog.>) %1$d from gap), false) or exists (
                     select 1 from s0, s1, gap, lateral (
                         select pg_catalog.pg_snapshot_xip(s0.s) x
                         union all
                         select ((pg_catalog.pg_snapshot_xmax(s0.s)::text::pg_catalog.int8 operator(pg_catalog.+) g)::text)::pg_catalog.xid8
                         from pg_catalog.generate_series(0::pg_catalog.int8, gap.n operator(pg_catalog.-) 1) g) c
                     where gap.n operator(pg_catalog.<=) %1$d and pg_catalog.pg_visible_in_snapshot(c.x, s1.s)
                       and pg_catalog.pg_xact_status(c.x) operator(pg_catalog.=) 'committed')
            from s1""".formatted(MAX_XIDS_CHECKED);

    /** @param since an earlier mark: whether a transaction committed after it is read too */
    public static ClusterMark read(Connection c, ClusterMark since) throws SQLException {
        return read(c, since, false, null);
    }

    /**
     * @param contents       read {@link VisibleContents} in the same snapshot as the mark
     * @param unlessSnapshot but not when the snapshot is this one (a mark read to compare with it needs none then)
     */
    public static ClusterMark read(Connection c, ClusterMark since, boolean contents, String unlessSnapshot)
            throws SQLException {
        if (!contents) {
            return mark(c, since);
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        boolean done = false;
        try {
            try (Statement s = c.createStatement()) {
                // one snapshot for the mark and the digest: the digest then describes exactly the mark's moment
                s.execute("set transaction isolation level repeatable read, read only");
            }
            ClusterMark m = mark(c, since);
            if (m.snapshot().equals(unlessSnapshot) || m.volatileRelations() > 0) {
                c.commit();
                done = true;
                return m;
            }
            VisibleContents.Reading r;
            try {
                r = VisibleContents.read(c);
            } catch (SQLException e) {
                // e.g. a table dropped since the snapshot: the mark stands, only the comparison is lost
                c.rollback();
                done = true;
                return new ClusterMark(m.snapshot, m.systemIdentifier, m.databaseOid, m.serverStart,
                        m.volatileRelations, m.unreadableSequences, m.sequences, m.committedSince, null,
                        "reading them failed: " + e.getMessage());
            }
            c.commit();
            done = true;
            return new ClusterMark(m.snapshot, m.systemIdentifier, m.databaseOid, m.serverStart, m.volatileRelations,
                    m.unreadableSequences, m.sequences, m.committedSince, r.digest(), r.unavailable());
        } finally {
            if (!done) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the original error is the one that matters
                }
            }
            c.setAutoCommit(autoCommit);
        }
    }

    private static ClusterMark mark(Connection c, ClusterMark since) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, since == null ? null : since.snapshot());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new ClusterMark(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7), since != null && rs.getBoolean(8));
            }
        }
    }

    /**
     * Pure: why the data a trace saw at {@code earlier} may differ at this mark, or null when it
     * provably cannot. Any doubt is a change: a false "changed" costs a second trace, a false
     * "unchanged" would let an apply skip the question a person must answer.
     */
    public String changedSince(ClusterMark earlier) {
        if (!systemIdentifier.equals(earlier.systemIdentifier) || databaseOid != earlier.databaseOid) {
            return "this is another cluster or database than the dry run's";
        }
        if (!serverStart.equals(earlier.serverStart)) {
            return "the PostgreSQL server restarted since";
        }
        if (volatileRelations > 0 || earlier.volatileRelations > 0) {
            return "the database has unlogged or temporary tables, whose rows can change without a committed transaction";
        }
        if (unreadableSequences > 0 || earlier.unreadableSequences > 0) {
            return "the database has sequences this role cannot read, so their values cannot be compared";
        }
        if (!snapshot.equals(earlier.snapshot)) {
            String completed = "transactions completed in the cluster since (snapshot " + earlier.snapshot + " → "
                    + snapshot + ")";
            if (contents == null || earlier.contents == null) {
                String why = contentsUnavailable != null ? contentsUnavailable : earlier.contentsUnavailable;
                return completed + (why == null ? "" : ", and the rows they may have changed cannot be compared: " + why);
            }
            if (!contents.equals(earlier.contents)) {
                return completed + " and changed rows or objects this database shows";
            }
        }
        if (!sequences.equals(earlier.sequences)) {
            return "a sequence advanced since";
        }
        return null;
    }
}
