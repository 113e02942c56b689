package dev.safemigrate.analysis;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the development database's catalog says about the tables a migration targets, as it is
 * before the migration runs: what the text alone cannot know. Read from the catalog only (no
 * table is scanned), by {@code db.CatalogFactsReader}; the analysis without it is static.
 *
 * @param serverVersion the server's {@code server_version}, e.g. {@code 15.10}
 * @param tables        by the name a statement uses for the table ({@code users} or {@code public.users})
 */
public record CatalogFacts(String serverVersion, Map<String, Table> tables) {

    /**
     * @param estimatedRows {@code pg_class.reltuples}: the planner's estimate, -1 when the table was
     *                      never vacuumed or analysed (PostgreSQL 14+)
     * @param totalBytes    {@code pg_total_relation_size}: heap, indexes and TOAST
     * @param columnTypes   column name → {@code format_type} of its type, e.g. {@code character varying(20)}
     */
    public record Table(String schema, String name, long estimatedRows, long totalBytes, Map<String, String> columnTypes) {

        public Table {
            columnTypes = Map.copyOf(columnTypes);
        }

        public Optional<String> columnType(String column) {
            return Optional.ofNullable(columnTypes.get(column));
        }

        /** "public.users: 12 MB, about 80,000 rows (planner estimate)", for a person judging a lock. */
        public String describe() {
            String rows = estimatedRows < 0 ? "row count not yet estimated (never analysed)"
                    : String.format(Locale.ROOT, "about %,d rows (planner estimate)", estimatedRows);
            return schema + "." + name + " is " + size(totalBytes) + " with " + rows + " in the development database";
        }
    }

    public CatalogFacts {
        tables = Map.copyOf(tables);
    }

    /** The table a statement names, as it exists before the migration; empty when the catalog has none by that name. */
    public Optional<Table> table(String target) {
        return Optional.ofNullable(tables.get(target));
    }

    /**
     * These facts without the tables an earlier migration (not yet applied) changes: the catalog
     * shows those tables as they are before that migration, not as this one will find them.
     */
    public CatalogFacts without(Collection<String> targets) {
        Map<String, Table> kept = new HashMap<>(tables);
        Set<String> unqualified = new java.util.HashSet<>();
        targets.forEach(t -> unqualified.add(t.substring(t.lastIndexOf('.') + 1)));
        kept.entrySet().removeIf(e -> unqualified.contains(e.getValue().name()));
        return new CatalogFacts(serverVersion, kept);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
