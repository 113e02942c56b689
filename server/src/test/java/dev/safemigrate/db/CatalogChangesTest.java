package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * {@link CatalogChanges#QUERY} looks up the rows of the relations a statement wrote in pg_class
 * before it scans a whole catalog, and scans only when the rows it found are fewer than the
 * statement inserted and updated there. Held here to the scan of every catalog written
 * ({@link CatalogChanges#SCANNED}) after each of a few hundred generated DDL statements, each
 * under its own savepoint as in the dry run; and the lookup must actually spare the scan of
 * pg_attribute for the statements that create relations or add columns, and of pg_type for those
 * that create tables.
 */
class CatalogChangesTest {

    @Test
    void theLookupFindsWhatTheScanFindsAfterEveryStatement() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String db = TestDatabase.create("catalog_changes");
        try (Connection c = new ConnectionSettings(TestDatabase.url(db), TestDatabase.APP_ROLE, null).open()) {
            c.setAutoCommit(false);
            CatalogWrites before = writes(c);
            int floor = CatalogChanges.FIRST_FLOOR;
            int spared = 0;
            int typesSpared = 0;
            List<String> tables = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String sql = statement(random, i, tables);
                try (Statement s = c.createStatement()) {
                    s.execute("savepoint step");
                    s.execute(sql);
                }
                long scansBefore = scans(c, "pg_attribute");
                long typeScansBefore = scans(c, "pg_type");
                List<String> found = rows(c, CatalogChanges.QUERY, floor, before);
                boolean scanned = scans(c, "pg_attribute") != scansBefore;
                if (sql.startsWith("create table") && scans(c, "pg_type") == typeScansBefore) {
                    typesSpared++;
                }
                List<String> reference = rows(c, CatalogChanges.SCANNED, floor, before);
                assertEquals(reference, found, "seed " + seed + ", statement " + i + ": " + sql);
                if (!scanned && (sql.startsWith("create table") || sql.contains(" add column "))) {
                    spared++;
                }
                for (String row : found) {
                    floor = Math.min(floor, Integer.parseInt(row.split("\\|")[5]));
                }
                try (Statement s = c.createStatement()) {
                    s.execute("release savepoint step");
                }
                before = writes(c);
            }
            assertTrue(spared >= 50, "seed " + seed + ": the lookup spared the scan of pg_attribute only "
                    + spared + " times for creates and added columns");
            assertTrue(typesSpared >= 20, "seed " + seed + ": the lookup spared the scan of pg_type only "
                    + typesSpared + " times for created tables");
            c.rollback();
        }
    }

    /** A generated DDL statement: creates, columns added, altered and dropped, indexes, constraints, views, types. */
    private static String statement(Random random, int i, List<String> tables) {
        if (tables.isEmpty() || random.nextInt(5) == 0) {
            String name = "t" + i;
            tables.add(name);
            return switch (random.nextInt(3)) {
                case 0 -> "create table " + name + " (id bigint primary key, v text default 'x', n int check (n > 0))";
                case 1 -> "create table " + name + " (id bigint generated always as identity, v text unique)";
                default -> "create table " + name + " (a int, b int)";
            };
        }
        String t = tables.get(random.nextInt(tables.size()));
        return switch (random.nextInt(12)) {
            case 0, 1 -> "alter table " + t + " add column c" + i + " text";
            case 2 -> "alter table " + t + " add column d" + i + " int default 7 not null";
            case 3 -> "create index on " + t + " ((1))";
            case 4 -> "alter table " + t + " add column e" + i + " int; alter table " + t + " alter column e" + i + " set not null";
            case 5 -> "alter table " + t + " add constraint k" + i + " check (true)";
            case 6 -> "create view v" + i + " as select * from " + t;
            case 7 -> "create domain dm" + i + " as int check (value > 0)";
            case 8 -> "create type en" + i + " as enum ('a', 'b')";
            case 9 -> "comment on table " + t + " is 'c" + i + "'";
            case 10 -> "alter table " + t + " rename to r" + i + "; alter table r" + i + " rename to " + t;
            default -> "alter table " + t + " add column f" + i + " text; alter table " + t + " drop column f" + i;
        };
    }

    /** Sequential scans of a catalog in this transaction: an index scan counts on the index, not here. */
    private static long scans(Connection c, String catalog) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pg_catalog.pg_stat_get_xact_numscans('pg_catalog." + catalog + "'::pg_catalog.regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static CatalogWrites writes(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CatalogWrites.QUERY)) {
            rs.next();
            return CatalogWrites.from(rs.getArray(1));
        }
    }

    private static List<String> rows(Connection c, String query, int floor, CatalogWrites before) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            CatalogChanges.parameters(s, 1, floor, before);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int k = 1; k <= 7; k++) {
                        row.add(rs.getString(k));
                    }
                    rows.add(String.join("|", row));
                }
            }
        }
        rows.sort(null);
        return rows;
    }
}
