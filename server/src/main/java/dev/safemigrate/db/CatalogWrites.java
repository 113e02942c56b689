package dev.safemigrate.db;

import java.sql.Array;
import java.sql.SQLException;
import java.util.List;

/**
 * This transaction's write counters on the catalogs, from PostgreSQL's per-transaction table
 * statistics: one query says whether a statement wrote to the catalogs a {@link CatalogSnapshot}
 * is read from (even DDL hidden in functions and triggers), which of them, and whether it
 * deleted rows there.
 *
 * @param counts for each of {@link #SNAPSHOT} rows inserted + updated + deleted, then for each
 *               rows deleted, then one sum of writes to {@link #NAMING}
 */
public record CatalogWrites(long[] counts) {

    /** The catalogs a snapshot reads, in the order {@link CatalogChanges} scans them. */
    static final List<String> SNAPSHOT = List.of("pg_namespace", "pg_class", "pg_attribute", "pg_attrdef",
            "pg_constraint", "pg_index", "pg_proc", "pg_type", "pg_enum", "pg_rewrite");

    /**
     * Catalogs a snapshot does not read but whose names (or defaults) show in the definitions it
     * holds: an operator moved to another schema or a new default operator class changes how a
     * constraint or index prints. A write to any of them makes the dry run read the whole schema.
     */
    static final List<String> NAMING = List.of("pg_operator", "pg_opclass", "pg_opfamily", "pg_collation",
            "pg_ts_config", "pg_ts_dict", "pg_ts_parser", "pg_ts_template", "pg_conversion", "pg_extension",
            "pg_cast", "pg_am");

    private static String regclasses(List<String> names) {
        return String.join(",", names.stream().map(n -> "pg_catalog." + n).toList());
    }

    /** The counters, as one array; every function and operator qualified (see {@link CatalogSearchPath}). */
    static final String QUERY = """
            select pg_catalog.array_cat(pg_catalog.array_cat(
                     pg_catalog.array_agg(pg_catalog.pg_stat_get_xact_tuples_inserted(o) operator(pg_catalog.+)
                         pg_catalog.pg_stat_get_xact_tuples_updated(o) operator(pg_catalog.+)
                         pg_catalog.pg_stat_get_xact_tuples_deleted(o) order by i) filter (where i operator(pg_catalog.<=) %1$d),
                     pg_catalog.array_agg(pg_catalog.pg_stat_get_xact_tuples_deleted(o) order by i) filter (where i operator(pg_catalog.<=) %1$d)),
                   pg_catalog.array_agg(pg_catalog.pg_stat_get_xact_tuples_inserted(o) operator(pg_catalog.+)
                         pg_catalog.pg_stat_get_xact_tuples_updated(o) operator(pg_catalog.+)
                         pg_catalog.pg_stat_get_xact_tuples_deleted(o)) filter (where i operator(pg_catalog.>) %1$d))
            from pg_catalog.unnest('{%2$s}'::pg_catalog.regclass[]) with ordinality u(o, i)""".formatted(SNAPSHOT.size(),
            regclasses(SNAPSHOT) + "," + regclasses(NAMING));

    static CatalogWrites from(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] counts = new long[2 * SNAPSHOT.size() + 1];
        for (int i = 0; i < values.length; i++) {
            long v = ((Number) values[i]).longValue();
            if (i < counts.length - 1) {
                counts[i] = v;
            } else {
                counts[counts.length - 1] += v;
            }
        }
        return new CatalogWrites(counts);
    }

    boolean changedSince(CatalogWrites earlier) {
        return !java.util.Arrays.equals(counts, earlier.counts);
    }

    /** Whether a naming catalog ({@link #NAMING}) was written since {@code earlier}. */
    boolean namingWrittenSince(CatalogWrites earlier) {
        return counts[counts.length - 1] != earlier.counts[counts.length - 1];
    }

    /** Rows inserted or updated in the snapshot catalog at this index since {@code earlier}. */
    long insertedOrUpdated(CatalogWrites earlier, int catalog) {
        int deleted = SNAPSHOT.size() + catalog;
        return counts[catalog] - counts[deleted] - (earlier.counts[catalog] - earlier.counts[deleted]);
    }

    /** Whether rows were deleted from the snapshot catalog at this index since {@code earlier}. */
    boolean deletedFrom(CatalogWrites earlier, int catalog) {
        int deleted = SNAPSHOT.size() + catalog;
        return counts[deleted] != earlier.counts[deleted];
    }
}
