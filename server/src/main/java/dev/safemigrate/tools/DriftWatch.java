package dev.safemigrate.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.safemigrate.config.KeyFolder;
import dev.safemigrate.db.CatalogStamp;
import dev.safemigrate.db.SchemaState;

/**
 * Drift detection for one project: the schema as it is now against the {@link SchemaRecord} written
 * after safemigrate's last apply. The objects are read only when the catalog's stamp differs from the
 * record's, and what they showed is remembered for that stamp, so a status that finds the schema
 * as it was recorded costs the stamp alone (read in status's own round trip).
 */
final class DriftWatch {

    static final String NO_RECORD = "no baseline yet: the next apply_to_dev records the schema, and changes made "
            + "outside safemigrate are reported from then on";

    /** What an apply's check saw: the drift, and the stamp and digest of the schema it compared. */
    record Check(Drift drift, String stamp, String digest) {}

    private record Memo(String recordDigest, String stamp, Drift drift) {}

    private final SchemaRecord.Store store;
    private final boolean embedded;
    private final PrintStream err;
    private volatile Memo last;

    /** @param embedded whether the database is the embedded default, found at another port at each start */
    DriftWatch(KeyFolder keys, boolean embedded, PrintStream err) {
        this.store = new SchemaRecord.Store(keys);
        this.embedded = embedded;
        this.err = err;
    }

    /** For status: {@code stamp} is what status read in its round trip. */
    Drift see(ProvenConnection db, CatalogStamp stamp) throws SQLException {
        return compare(db, stamp).drift();
    }

    /** For apply_to_dev, dry run or not. */
    Check check(ProvenConnection db) throws SQLException {
        return compare(db, CatalogStamp.read(db.connection));
    }

    private Check compare(ProvenConnection db, CatalogStamp stamp) throws SQLException {
        Optional<SchemaRecord> found;
        try {
            found = store.load();
        } catch (IOException e) {
            return new Check(Drift.noBaseline("no baseline: the record in the key folder cannot be read (" + e.getMessage()
                    + "); the next apply_to_dev writes a new one"), null, null);
        }
        if (found.isEmpty()) {
            return new Check(Drift.noBaseline(NO_RECORD), null, null);
        }
        SchemaRecord record = found.get();
        if (!record.database().equals(SchemaRecord.databaseOf(db.identity, embedded))) {
            return new Check(Drift.noBaseline("no baseline yet for this database: the record is of "
                    + record.database() + "; the next apply_to_dev records this one"), null, null);
        }
        if (record.stamp().equals(stamp.value())) {
            return new Check(Drift.none(record), record.stamp(), record.digest());
        }
        Memo memo = last;
        if (memo != null && memo.recordDigest().equals(record.digest()) && memo.stamp().equals(stamp.value())) {
            return new Check(memo.drift(), memo.stamp(), memo.drift().to());
        }
        SchemaState now = SchemaState.read(db.connection, db.schemaHistory());
        Drift drift = Drift.between(record, now);
        last = new Memo(record.digest(), now.stamp().value(), drift);
        return new Check(drift, now.stamp().value(), now.digest());
    }

    /**
     * Whether the schema is still the one {@code check} saw: what a person approved (or was not
     * asked about) is what the apply runs on. Without a record there is nothing to hold it to.
     */
    boolean unchangedSince(ProvenConnection db, Check check) throws SQLException {
        if (check.stamp() == null || CatalogStamp.read(db.connection).value().equals(check.stamp())) {
            return true;
        }
        return SchemaState.read(db.connection, db.schemaHistory()).digest().equals(check.digest());
    }

    /**
     * Records the schema as it is now, after an apply: the baseline from here on.
     *
     * @return when, or null when it could not be written (said on stderr: the next status then reports
     *         this apply's own changes as drift, which a person can see came from here)
     */
    Instant record(ProvenConnection db, Instant now) {
        try {
            Instant at = now.truncatedTo(ChronoUnit.MILLIS);
            store.save(SchemaRecord.of(SchemaRecord.databaseOf(db.identity, embedded),
                    SchemaState.read(db.connection, db.schemaHistory()), at));
            last = null;
            return at;
        } catch (SQLException | IOException | RuntimeException e) {
            err.println("safemigrate: could not record the schema after the apply in " + SchemaRecord.FILE + ": " + e);
            return null;
        }
    }
}
