package dev.safemigrate.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.safemigrate.config.KeyFolder;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.SchemaState;

/**
 * The development database's schema as it was right after safemigrate last changed it: the
 * baseline drift is measured from. Kept in the project's {@link KeyFolder}, outside the project,
 * where the agent's file tools are denied; an agent with an unsandboxed shell as the same OS user
 * can still rewrite it (docs/security.md).
 *
 * @param database   which database this is the record of ({@link #databaseOf}): a record of another
 *                   one is no baseline for this one
 * @param stamp      the catalog's {@link dev.safemigrate.db.CatalogStamp}: equal now means nothing changed
 * @param digest     {@link SchemaState#digest()} of {@code objects}
 * @param historyMd5 Flyway's history then, to tell its rows added by another Flyway client since
 * @param otherHistories other tools' history tables then, with their rows
 * @param objects    every object's key → a hash of its state
 */
record SchemaRecord(int format, String database, Instant recordedAt, String stamp, String digest, long historyRows,
                    String historyMd5, Map<String, Long> otherHistories, Map<String, String> objects) {

    static final String FILE = "schema-record.json";
    static final int FORMAT = 1;

    SchemaRecord {
        otherHistories = Map.copyOf(otherHistories);
        objects = java.util.Collections.unmodifiableMap(new TreeMap<>(objects));
    }

    static SchemaRecord of(String database, SchemaState state, Instant now) {
        return new SchemaRecord(FORMAT, database, now, state.stamp().value(), state.digest(), state.history().rows(),
                state.history().md5(), state.otherHistories(), state.objects());
    }

    /**
     * The database by where it is: host(s), port and name; the embedded default by its name alone,
     * since it listens on another port at every start.
     */
    static String databaseOf(DatabaseIdentity db, boolean embedded) {
        return embedded ? "embedded/" + db.name() : db.host() + ":" + db.port() + "/" + db.name();
    }

    /**
     * Reads the record, again only when the file changed since it was last read (another server
     * process for the same project may have written it).
     */
    static final class Store {
        private final KeyFolder keys;
        private Object readKey;
        private Optional<SchemaRecord> read = Optional.empty();

        Store(KeyFolder keys) {
            this.keys = keys;
        }

        synchronized Optional<SchemaRecord> load() throws IOException {
            java.nio.file.Path file = keys.file(FILE);
            if (!Files.exists(file)) {
                readKey = null;
                read = Optional.empty();
                return read;
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
            if (!key.equals(readKey)) {
                read = keys.read(FILE).map(Store::parse);
                readKey = key;
            }
            return read;
        }

        synchronized void save(SchemaRecord record) throws IOException {
            keys.write(FILE, ResultJson.JSON.writeValueAsString(record));
            readKey = null;
        }

        /** A record of another format, or one a person or a tool garbled, is no baseline: the next apply writes one. */
        private static SchemaRecord parse(String json) {
            try {
                SchemaRecord r = ResultJson.JSON.readValue(json, SchemaRecord.class);
                return r.format() == FORMAT && r.objects() != null ? r : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
