package dev.safemigrate.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.db.SchemaCatalog;

/** After a restore: does every table hold the rows the manifest says the backup had? */
final class RowCountCheck {

    /** @param actual null when the table does not exist */
    record Mismatch(String table, long expected, Long actual) {
        @Override
        public String toString() {
            return table + ": backup had " + expected + " rows, database has "
                    + (actual == null ? "no such table" : actual + " rows");
        }
    }

    /**
     * @param extra tables in the database the backup does not know: created after it, and left
     *              alone by pg_restore, which only replaces what the dump holds
     */
    record Result(int checked, List<Mismatch> mismatches, List<String> extra) {}

    private RowCountCheck() {}

    static Result compare(BackupManifest manifest, Connection c) throws SQLException {
        Set<SchemaCatalog.TableName> present = new HashSet<>(SchemaCatalog.tables(c));
        List<Mismatch> mismatches = new ArrayList<>();
        Set<SchemaCatalog.TableName> known = new HashSet<>();
        for (BackupManifest.TableRows t : manifest.tables()) {
            SchemaCatalog.TableName name = new SchemaCatalog.TableName(t.schema(), t.name());
            known.add(name);
            Long actual = present.contains(name) ? SchemaCatalog.countRows(c, name) : null;
            if (actual == null || actual != t.rows()) {
                mismatches.add(new Mismatch(t.schema() + "." + t.name(), t.rows(), actual));
            }
        }
        List<String> extra = present.stream().filter(t -> !known.contains(t)).map(t -> t.schema() + "." + t.name())
                .sorted().toList();
        return new Result(manifest.tables().size(), mismatches, extra);
    }
}
