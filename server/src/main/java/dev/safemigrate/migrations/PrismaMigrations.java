package dev.safemigrate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of Prisma's {@code _prisma_migrations}: what Prisma says it applied to this database,
 * read in the order Prisma's schema engine lists them ({@code order by started_at}:
 * prisma-engines {@code sql_migration_persistence.rs}, {@code list_migrations}).
 */
public final class PrismaMigrations {

    /** The table's name: Prisma keeps it unqualified, so in the first schema of its connection's search_path. */
    public static final String TABLE = "_prisma_migrations";

    /**
     * One attempt to apply one migration. Prisma writes a row when it starts; {@code finishedAt} is
     * set when it succeeded, {@code rolledBackAt} when a person marked a failed attempt rolled back.
     *
     * @param checksum the sha256, in hex, of the migration.sql Prisma ran ({@link PrismaChecksum})
     */
    public record Row(String id, String migrationName, String checksum, Instant startedAt, Instant finishedAt,
                      Instant rolledBackAt, int appliedStepsCount, String logs) {

        public Row(String migrationName, String checksum, Instant startedAt, Instant finishedAt, Instant rolledBackAt,
                   int appliedStepsCount) {
            this(null, migrationName, checksum, startedAt, finishedAt, rolledBackAt, appliedStepsCount, null);
        }

        /** Applied, as Prisma's deploy counts it: finished and not rolled back. */
        public boolean finished() {
            return finishedAt != null && rolledBackAt == null;
        }

        /** Prisma's failed migration (P3009): neither finished nor rolled back. */
        public boolean failed() {
            return finishedAt == null && rolledBackAt == null;
        }
    }

    private PrismaMigrations() {}

    /** @return the rows in the order Prisma started them */
    public static List<Row> read(Connection c, String schema) throws SQLException {
        String sql = "select id, migration_name, checksum, started_at, finished_at, rolled_back_at, applied_steps_count, logs "
                + "from " + quote(schema) + "." + TABLE + " order by started_at, migration_name, id";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getInt(7), rs.getString(8)));
            }
        }
        return rows;
    }

    /** A PostgreSQL identifier in double quotes. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
