package dev.safemigrate.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The development database's schema as drift detection records it, read in one snapshot: every
 * object by its key with a hash of its state (enough to name what changed since, at a fraction of
 * the states' size), the catalog's {@link CatalogStamp} (to see cheaply that nothing changed since),
 * and the histories migration tools keep. Catalog only:
 * no row of a user table is read, so inserts and updates are never drift; the histories are
 * counted only to name who changed the catalog.
 *
 * @param digest         an md5 over every key and hash: two states with the same objects have the same digest
 * @param objects        key as {@link CatalogReader} names it ("table public.orders",
 *                       "column public.orders.note", …) → {@link #hash} of its state
 * @param history        Flyway's history, digested
 * @param otherHistories other tools' history tables ({@link OtherMigrationTools}), "schema.table" → rows
 */
public record SchemaState(CatalogStamp stamp, String digest, Map<String, String> objects, HistoryDigest history,
                          Map<String, Long> otherHistories) {

    public SchemaState {
        objects = java.util.Collections.unmodifiableMap(new TreeMap<>(objects));
        otherHistories = java.util.Collections.unmodifiableMap(new TreeMap<>(otherHistories));
    }

    /** The digest of these objects: in key order, each key and its hash on a line. */
    public static String digest(Map<String, String> objects) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (Map.Entry<String, String> e : new TreeMap<>(objects).entrySet()) {
                md5.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JRE", e);
        }
    }

    /**
     * In one repeatable-read, read-only transaction, so the stamp and the objects describe the same
     * schema even while another session changes it.
     */
    public static SchemaState read(Connection c, SchemaHistory where) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("set transaction isolation level repeatable read, read only");
            }
            CatalogStamp stamp = CatalogStamp.read(c);
            Map<String, String> objects = new TreeMap<>();
            CatalogReader.readAll(c, new CatalogReader.Sink() {
                public void object(String owner, String key, String state) {
                    objects.put(key, hash(state));
                }

                public void relfilenode(String owner, String relation, long relfilenode) {}

                public void relation(long oid, String name) {}
            });
            HistoryDigest history = HistoryDigest.read(c, where);
            Map<String, Long> others = new TreeMap<>();
            for (OtherMigrationTools.Found f : OtherMigrationTools.find(c)) {
                others.put(f.schema() + "." + f.table(), rows(c, f));
            }
            c.commit();
            return new SchemaState(stamp, digest(objects), objects, history, others);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** An object's state in the record: 16 hex digits say whether it changed, not what it was. */
    public static String hash(String state) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(state.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JRE", e);
        }
    }

    /** @return -1 when the role may not read it (another tool's table, another owner) */
    private static long rows(Connection c, OtherMigrationTools.Found f) throws SQLException {
        Savepoint before = c.setSavepoint();
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select pg_catalog.count(*) from "
                + SchemaCatalog.quoteIdent(f.schema()) + "." + SchemaCatalog.quoteIdent(f.table()))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            c.rollback(before);
            return -1;
        }
    }
}
