package dev.safemigrate.analysis;

import java.util.Map;

/**
 * The table lock a statement takes and whether it rewrites the table, from PostgreSQL's
 * documentation ("Explicit Locking", "ALTER TABLE"). Where a statement locks several relations
 * the strongest lock is reported; null means no table-level lock worth reporting.
 */
public final class TableEffects {

    /** ALTER TABLE takes the strongest lock any of its actions needs. */
    private static final Map<String, LockMode> ALTER_TABLE = Map.ofEntries(
            Map.entry("set_statistics", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("set_attribute_options", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("set_storage_parameters", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("validate_constraint", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("cluster_on", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("set_without_cluster", LockMode.SHARE_UPDATE_EXCLUSIVE),
            // PG12+: attaching a partition only blocks DDL on the parent
            Map.entry("attach_partition", LockMode.SHARE_UPDATE_EXCLUSIVE),
            Map.entry("detach_partition.concurrently", LockMode.SHARE_UPDATE_EXCLUSIVE),
            // a foreign key blocks writes (not reads) on both tables while it validates
            Map.entry("add_constraint.foreign_key", LockMode.SHARE_ROW_EXCLUSIVE),
            Map.entry("add_constraint.foreign_key.not_valid", LockMode.SHARE_ROW_EXCLUSIVE),
            Map.entry("enable_trigger", LockMode.SHARE_ROW_EXCLUSIVE),
            Map.entry("disable_trigger", LockMode.SHARE_ROW_EXCLUSIVE));

    private TableEffects() {}

    public static LockMode lock(Reading r) {
        String kind = r.kind();
        if (kind.startsWith("alter_table.")) {
            LockMode strongest = null;
            for (String a : r.actions()) {
                if (a.contains(":") || a.startsWith("add_column.") || a.startsWith("alter_column_type.")) {
                    continue;
                }
                strongest = LockMode.stronger(strongest, ALTER_TABLE.getOrDefault(a, LockMode.ACCESS_EXCLUSIVE));
            }
            return strongest == null ? LockMode.ACCESS_EXCLUSIVE : strongest;
        }
        return switch (kind) {
            case "select", "table", "values", "explain", "copy_to" -> LockMode.ACCESS_SHARE;
            case "insert", "update", "delete", "merge" -> LockMode.ROW_EXCLUSIVE;
            case "copy" -> LockMode.ROW_EXCLUSIVE;
            case "create_index" -> r.has("concurrently") ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.SHARE;
            case "create_table" -> r.has("references") ? LockMode.SHARE_ROW_EXCLUSIVE : null;
            case "create_trigger" -> LockMode.SHARE_ROW_EXCLUSIVE;
            case "vacuum" -> LockMode.SHARE_UPDATE_EXCLUSIVE;   // FULL is handled by the caller's tokens
            case "analyze", "comment", "create_statistics", "alter_index" -> LockMode.SHARE_UPDATE_EXCLUSIVE;
            case "refresh_materialized_view" -> LockMode.ACCESS_EXCLUSIVE;
            // REINDEX takes ShareLock on the table but AccessExclusiveLock on each index, which blocks
            // every query whose plan would use that index
            case "reindex", "cluster", "truncate", "drop_table", "drop_view", "drop_materialized_view", "drop_sequence",
                 "drop_index", "create_rule", "alter_materialized_view", "alter_sequence", "alter_view",
                 "alter_foreign_table", "lock" -> LockMode.ACCESS_EXCLUSIVE;
            default -> null;
        };
    }

    /** Refines the lock with what only the tokens tell (CONCURRENTLY, VACUUM FULL, LOCK … IN … MODE). */
    public static LockMode lock(Reading r, StatementTokens t) {
        LockMode base = lock(r);
        String kind = r.kind();
        boolean concurrently = t.contains(0, t.size(), "concurrently");
        switch (kind) {
            case "vacuum":
                return t.contains(0, t.size(), "full") ? LockMode.ACCESS_EXCLUSIVE : base;
            case "reindex", "drop_index":
                return concurrently ? LockMode.SHARE_UPDATE_EXCLUSIVE : base;
            case "refresh_materialized_view":
                return concurrently ? LockMode.EXCLUSIVE : base;
            case "copy":
                return t.contains(0, t.size(), "to") && !t.contains(0, t.size(), "from") ? LockMode.ACCESS_SHARE : base;
            case "lock":
                return lockStatementMode(t);
            case "select":
                // SELECT … FOR UPDATE / FOR SHARE locks rows, and takes RowShareLock on the table
                return t.contains(0, t.size(), "for", "update") || t.contains(0, t.size(), "for", "share")
                        || t.contains(0, t.size(), "for", "no", "key") || t.contains(0, t.size(), "for", "key")
                        ? LockMode.ROW_SHARE : base;
            default:
                return base;
        }
    }

    private static LockMode lockStatementMode(StatementTokens t) {
        int in = t.find(0, t.size(), "in");
        if (in < 0) {
            return LockMode.ACCESS_EXCLUSIVE;   // LOCK TABLE t: the default mode
        }
        String mode = String.join(" ", t.list().subList(in + 1, t.size()).stream()
                .filter(x -> x.type() == SqlToken.Type.WORD).map(SqlToken::text).toList());
        return switch (mode.replace(" mode", "").replace(" nowait", "")) {
            case "access share" -> LockMode.ACCESS_SHARE;
            case "row share" -> LockMode.ROW_SHARE;
            case "row exclusive" -> LockMode.ROW_EXCLUSIVE;
            case "share update exclusive" -> LockMode.SHARE_UPDATE_EXCLUSIVE;
            case "share" -> LockMode.SHARE;
            case "share row exclusive" -> LockMode.SHARE_ROW_EXCLUSIVE;
            case "exclusive" -> LockMode.EXCLUSIVE;
            default -> LockMode.ACCESS_EXCLUSIVE;
        };
    }

    /** Whether the statement rewrites the whole table (and its indexes) into new files. */
    public static boolean rewrites(Reading r, StatementTokens t) {
        if (r.kind().startsWith("alter_table.")) {
            return r.actions().stream().anyMatch(a -> a.startsWith("add_column.rewrite:") || a.equals("alter_column_type.rewrite")
                    || a.equals("set_logged") || a.equals("set_unlogged") || a.equals("set_tablespace")
                    || a.equals("set_access_method"));
        }
        return r.kind().equals("cluster") || (r.kind().equals("vacuum") && t.contains(0, t.size(), "full"));
    }

    /**
     * Whether PostgreSQL allows the statement inside a transaction block. Flyway must run a
     * migration holding any other statement with executeInTransaction=false.
     */
    public static boolean transactional(Reading r, StatementTokens t) {
        boolean concurrently = t.contains(0, t.size(), "concurrently");
        return switch (r.kind()) {
            case "create_index", "drop_index", "reindex" -> !concurrently
                    && !(r.kind().equals("reindex") && (t.isWord(1, "system") || t.isWord(1, "database")));
            case "vacuum", "create_database", "drop_database", "alter_system", "create_tablespace", "drop_tablespace",
                 "commit_prepared", "rollback_prepared", "create_subscription", "drop_subscription" -> false;
            case "cluster" -> t.size() > 1 && !(t.size() == 2 && t.isWord(1, "verbose"));   // CLUSTER without a table cannot
            default -> !(r.kind().startsWith("alter_table.") && r.has("detach_partition.concurrently"));
        };
    }
}
