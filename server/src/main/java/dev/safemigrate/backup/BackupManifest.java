package dev.safemigrate.backup;

import java.util.List;

/**
 * What a backup holds, written beside the dump as {@code <dump>.json}: restore checks every
 * table's row count against it, and status reports the newest one.
 *
 * @param file the dump's file name, relative to the backup folder
 */
public record BackupManifest(String file, String label, String createdAt, long bytes, String sha256, long durationMs,
                             String pgDumpVersion, String database, String host, int port, List<TableRows> tables) {

    public BackupManifest {
        tables = List.copyOf(tables);
    }

    public record TableRows(String schema, String name, long rows) {}

    public long totalRows() {
        return tables.stream().mapToLong(TableRows::rows).sum();
    }
}
