package dev.safemigrate.testing;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prisma's history table as Prisma itself makes and fills it, written here from Prisma's source
 * rather than from safemigrate's, so the tests hold the two to each other.
 */
public final class PrismaRows {

    /** Prisma's DDL for its table (prisma-engines flavour/postgres.rs, create_migrations_table). */
    public static final String TABLE = """
            CREATE TABLE _prisma_migrations (
                id                      VARCHAR(36) PRIMARY KEY NOT NULL,
                checksum                VARCHAR(64) NOT NULL,
                finished_at             TIMESTAMPTZ,
                migration_name          VARCHAR(255) NOT NULL,
                logs                    TEXT,
                rolled_back_at          TIMESTAMPTZ,
                started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
                applied_steps_count     INTEGER NOT NULL DEFAULT 0
            );
            """;

    private PrismaRows() {}

    /** Prisma's checksum as it writes it: sha256 of the script's bytes, in hex. */
    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Every row, each column by name, and the transaction that wrote it ({@code xmin}). */
    public static List<Map<String, Object>> rows(String db) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = TestDatabase.connectAsSuperuser(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select *, xmin::text as xmin from _prisma_migrations order by started_at, migration_name")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
