package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rows of Prisma's {@code _prisma_migrations}: what Prisma says it applied to this database. */
public final class PrismaMigrations {

    /**
     * One attempt to apply one migration. Prisma writes a row when it starts; {@code finishedAt} is
     * set when it succeeded, {@code rolledBackAt} when a person marked a failed attempt rolled back.
     *
     * @param checksum the sha256, in hex, of the migration.sql Prisma ran
     */
    public record Row(String migrationName, String checksum, Instant startedAt, Instant finishedAt,
                      Instant rolledBackAt, int appliedStepsCount) {

        public boolean finished() {
            return finishedAt != null && rolledBackAt == null;
        }
    }

    private PrismaMigrations() {}

    /** @return the rows in the order Prisma started them */
    public static List<Row> read(Connection c, String schema) throws SQLException {
        String sql = "select migration_name, checksum, started_at, finished_at, rolled_back_at, applied_steps_count from "
                + SchemaCatalog.quoteIdent(schema) + "._prisma_migrations order by started_at, migration_name";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getInt(6)));
            }
        }
        return rows;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
