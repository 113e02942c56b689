package dev.safemigrate.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The settings the dry run's own reads run under between two statements of the migration, and the
 * migration's values of them, read when they are pinned and put back before its next statement.
 *
 * <ul>
 *   <li>{@code search_path}: pinned to {@link CatalogSearchPath#PINNED}, so nothing a migration
 *       creates can stand in for a built-in our reads use.</li>
 *   <li>{@code plan_cache_mode}: {@code force_generic_plan}. The trace's reads are prepared once and
 *       run after every statement with new parameters; under the default, PostgreSQL plans each
 *       execution again (a custom plan) because the generic plan's estimated cost is higher, and
 *       planning the four queries of a targeted catalog read cost more than most DDL statements
 *       take to run. The generic plan of each is made once per dry run. Set only for our reads: the
 *       migration's own functions and triggers keep the planning they would have had.</li>
 * </ul>
 *
 * @param searchPath    the migration's search_path
 * @param planCacheMode the migration's plan_cache_mode
 */
record TraceSettings(String searchPath, String planCacheMode) {

    /**
     * Select-list items, four columns: the migration's values read, then ours set, each for the
     * rest of the (sub)transaction. The target list is evaluated left to right, so each value is
     * read before it is replaced; a later query of the same round trip is planned under ours.
     */
    static final String PIN = "pg_catalog.current_setting('search_path'), " + CatalogSearchPath.PIN_LOCAL
            + ", pg_catalog.current_setting('plan_cache_mode'), "
            + "pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)";

    /** How many columns {@link #PIN} takes. */
    static final int PIN_COLUMNS = 4;

    /** Select-list items putting the migration's values back, two parameters: see {@link #parameters}. */
    static final String RESTORE = "pg_catalog.set_config('search_path', ?, true), pg_catalog.set_config('plan_cache_mode', ?, true)";

    /** The migration's values, from {@link #PIN}'s columns starting at {@code column}. */
    static TraceSettings read(ResultSet rs, int column) throws SQLException {
        return new TraceSettings(rs.getString(column), rs.getString(column + 2));
    }

    /** Sets {@link #RESTORE}'s two parameters from {@code index} on. */
    void parameters(PreparedStatement s, int index) throws SQLException {
        s.setString(index, searchPath);
        s.setString(index + 1, planCacheMode);
    }
}
