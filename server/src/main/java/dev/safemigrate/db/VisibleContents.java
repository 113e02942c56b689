package dev.safemigrate.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Everything this database shows a statement, as one digest: for every table, every catalog and
 * the shared catalogs, the identity ({@code ctid}, {@code xmin}) of each row version visible in
 * the caller's snapshot (counted, and combined as a keyed hash). Two equal digests mean the same
 * rows are visible, whatever transactions completed in between — autovacuum's, above all, which after a large rolled-back dry run commits
 * ANALYZE results and logs the truncation of the dead space it frees, each under a transaction id.
 *
 * <p>Why it is a proof: a row version's content never changes under its identity. An INSERT,
 * UPDATE, TRUNCATE or DDL makes new versions with a new {@code xmin} (or a new {@code ctid}); a
 * DELETE makes a version invisible; neither can be undone except by yet another new version.
 * Removing dead versions (VACUUM, pruning) and freezing change no visible version, which is why
 * they are exactly what this tolerates. Left out on purpose: {@code pg_statistic} and
 * {@code pg_statistic_ext_data}, the planner's statistics, which ANALYZE rewrites and which
 * decide how a query runs, never which rows it returns.
 *
 * Unlogged and temporary tables are not read: {@link ClusterMark} refuses any proof while one exists.
 *
 * <p>What it cannot see, it refuses ({@link Reading#unavailable}): a table this role may not read
 * (rows it cannot see could change); row-level security (the digest would see only the rows its
 * policies show); foreign tables and foreign servers (their data lives outside); large objects
 * (their pages are not readable); more than {@link #MAX_BYTES} of tables (the digest reads them
 * all; the catalogs are always read). The values PostgreSQL updates in place, without a new version, are read as values:
 * the index flags a concurrent index build or drop sets (an index that stopped enforcing
 * uniqueness changes what an INSERT does) and the roles' attributes (only readable through
 * {@code pg_roles}). The rest updated in place — {@code relpages}, {@code reltuples},
 * {@code relfrozenxid}, {@code datfrozenxid} — are statistics and bookkeeping.
 */
public final class VisibleContents {

    /**
     * Above this many bytes of tables (catalogs aside, which are always read) no reading: it is
     * made after every traced dry run, and ~0.3 s per 16 MB would then cost more than most traces.
     */
    public static final long MAX_BYTES = 16L << 20;

    /** One statement reads every relation: beyond this many, planning it alone would take seconds. */
    static final int MAX_RELATIONS = 3000;

    /** Catalogs a role cannot read, and what covers each instead. */
    private static final Set<String> UNREADABLE_COVERED = Set.of(
            "pg_statistic", "pg_statistic_ext_data", // planner statistics: left out, see the class comment
            "pg_authid",        // read through pg_roles below
            "pg_user_mapping",  // needs a foreign server: any refuses the reading
            "pg_largeobject",   // any large object refuses the reading
            "pg_subscription"); // only a superuser creates one; what it replicates arrives as new row versions

    /** Random per process, immutable: see {@link #query}. Two marks compared are read by one process. */
    private static final long KEY = new java.security.SecureRandom().nextLong();

    private static final Set<String> LEFT_OUT = Set.of("pg_statistic", "pg_statistic_ext_data");

    /** @param digest sha256 of every relation's line (see {@link #query}), or null with {@code unavailable} saying why */
    public record Reading(String digest, String unavailable) {}

    private record Relation(long oid, String schema, String name, boolean catalog) {}

    private VisibleContents() {}

    /**
     * Reads the digest in the caller's snapshot: the caller runs this in the same REPEATABLE READ
     * transaction as whatever it compares the digest with.
     */
    static Reading read(Connection c) throws SQLException {
        List<Relation> relations = new ArrayList<>();
        long bytes = 0;
        // every function and operator qualified: the connection's search_path is pinned, but this must not depend on it
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select c.oid::pg_catalog.int8, n.nspname::text, c.relname::text, c.relkind::text,
                       pg_catalog.has_table_privilege(c.oid, 'SELECT'), c.relrowsecurity, c.relispopulated,
                       pg_catalog.pg_relation_size(c.oid),
                       n.nspname operator(pg_catalog.=) 'pg_catalog'
                from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
                where c.relkind operator(pg_catalog.=) any ('{r,m,f}'::pg_catalog."char"[])
                  and c.relpersistence operator(pg_catalog.=) 'p'
                order by c.oid""")) {
            while (rs.next()) {
                String schema = rs.getString(2);
                String name = rs.getString(3);
                boolean catalog = rs.getBoolean(9);
                if (rs.getString(4).equals("f")) {
                    return new Reading(null, "the database has foreign tables, whose data lives outside it");
                }
                if (catalog && LEFT_OUT.contains(name)) {
                    continue;
                }
                if (!rs.getBoolean(5)) {
                    if (catalog && UNREADABLE_COVERED.contains(name) || schema.equals("information_schema")) {
                        // information_schema's own tables list the SQL standard's features: only initdb writes them
                        continue;
                    }
                    return new Reading(null, "this role cannot read " + schema + "." + name);
                }
                if (rs.getBoolean(6)) {
                    return new Reading(null, schema + "." + name + " has row-level security, which hides rows from this role");
                }
                if (!rs.getBoolean(7)) {
                    continue; // an unpopulated materialized view holds no rows; pg_class says whether it is populated
                }
                bytes += catalog ? 0 : rs.getLong(8);
                relations.add(new Relation(rs.getLong(1), schema, name, catalog));
            }
        }
        if (relations.size() > MAX_RELATIONS) {
            return new Reading(null, "it has " + relations.size() + " tables, more than the " + MAX_RELATIONS
                    + " read in one statement");
        }
        if (bytes > MAX_BYTES) {
            return new Reading(null, "its tables hold " + (bytes >> 20) + " MB, more than the " + (MAX_BYTES >> 20)
                    + " MB compared row by row");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select (select pg_catalog.count(*) from pg_catalog.pg_foreign_server),
                       (select pg_catalog.count(*) from pg_catalog.pg_largeobject_metadata)""")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return new Reading(null, "the database has foreign servers, whose data lives outside it");
            }
            if (rs.getLong(2) > 0) {
                return new Reading(null, "the database has large objects, whose pages this role cannot read");
            }
        }
        List<String> lines = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query(relations))) {
            s.setLong(1, KEY);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        lines.sort(null); // UNION ALL promises no order
        MessageDigest digest = sha256();
        lines.forEach(l -> digest.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
        return new Reading(HexFormat.of().formatHex(digest.digest()), null);
    }

    /**
     * One statement, so one snapshot even outside a transaction: a line per relation with its row
     * count and the XOR of a keyed 64-bit hash of each visible row version (the versions are a set:
     * no two share a {@code ctid}). It needs no sort: a sorted list cost ~7 s for a 60 MB table,
     * this ~1 s on the same loaded machine. The key, random per process and sent as a parameter
     * (never in the query text another session can read), keeps anyone from choosing rows whose
     * hashes cancel out the ones they replaced.
     */
    private static String query(List<Relation> relations) {
        StringBuilder q = new StringBuilder("with k as (select ?::pg_catalog.int8 k)\n");
        q.append("""
                select 'roles ' operator(pg_catalog.||) pg_catalog.md5(coalesce(pg_catalog.string_agg(r::text, ','
                         order by r.oid), ''))
                from pg_catalog.pg_roles r""");
        for (Relation r : relations) {
            String table = quote(r.schema()) + "." + quote(r.name());
            String row = "t.ctid::text operator(pg_catalog.||) ':' operator(pg_catalog.||) t.xmin::text";
            if (r.catalog() && r.name().equals("pg_index")) {
                // set in place by CREATE/DROP INDEX CONCURRENTLY, without a new row version
                row += " operator(pg_catalog.||) t.indisvalid::text operator(pg_catalog.||) t.indisready::text"
                        + " operator(pg_catalog.||) t.indislive::text";
            }
            q.append("\nunion all select '").append(r.oid()).append(" ' operator(pg_catalog.||) pg_catalog.count(*)::text"
                    + " operator(pg_catalog.||) ' ' operator(pg_catalog.||) coalesce(pg_catalog.bit_xor("
                    + "pg_catalog.hashtextextended(").append(row).append(", k.k)), 0)::text from only ").append(table)
                    .append(" t, k");
        }
        return q.toString();
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
