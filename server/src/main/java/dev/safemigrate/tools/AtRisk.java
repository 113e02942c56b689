package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.safemigrate.db.DryRunResult;

/**
 * What the apply gate asks a person about: what the traced dry run shows at risk in this
 * database, and whatever it could not trace. Static findings describe what a change would do to
 * any database (production included) and stay as they are in create_migration and show_sql; the
 * gate is about this one. A drop of an empty table, a rename, a function body that ran harmlessly
 * under a least-privileged role put nothing at risk here, so they are reported, not asked about:
 * a person asked about everything learns to say yes without reading.
 *
 * @param id        stable across calls for the same migration, statement and risk: a confirmation
 *                  token covers exactly the ids the person was shown
 * @param migration the migration, statement and line it is about; absent for a risk that is about the
 *                  database rather than a statement (the schema changed outside safemigrate: {@link Drift})
 * @param what      one line a person reads in seconds, numbers first
 */
record AtRisk(String id, String migration, String path, Integer statement, Integer line, String what) {

    /** A risk in the database itself, before any pending migration runs. */
    static AtRisk ofDatabase(String id, String what) {
        return new AtRisk(id, null, null, null, null, what);
    }

    /** " (file line n)" for a person, or nothing for a risk that is about no statement. */
    String where() {
        return path == null ? "" : " (" + path + " line " + line + ")";
    }

    /**
     * Statements PostgreSQL refuses inside a transaction whose whole effect is known from their
     * kind and loses no data ({@code CREATE INDEX CONCURRENTLY} is the safe pattern the rules ask
     * for): not traced, but nothing to ask a person about.
     */
    static final java.util.Set<String> HARMLESS_UNTRACED = java.util.Set.of("create_index", "drop_index", "reindex",
            "vacuum", "analyze");

    /**
     * Pure: the dry run's evidence in, the questions for a person out, in the order they occur.
     *
     * @param harmlessUntraced which untraced statements ("version/index") are known to lose no data
     */
    static List<AtRisk> of(DryRunResult result, Map<String, String> paths, java.util.Set<String> harmlessUntraced) {
        List<AtRisk> out = new ArrayList<>();
        for (DryRunResult.DataAtRisk d : result.dataAtRisk()) {
            if (d.rows() <= 0) {
                continue;
            }
            out.add(new AtRisk(d.version() + "/" + d.index() + "/" + d.what() + "/" + d.object(), d.version(),
                    paths.get(d.version()), d.index(), d.line(), describe(d)));
        }
        for (DryRunResult.Skipped s : result.notDryRunnable()) {
            if (harmlessUntraced.contains(s.version() + "/" + s.index())) {
                continue;
            }
            out.add(new AtRisk(s.version() + "/" + s.index() + "/not_traced", s.version(), s.file(), s.index(), s.line(),
                    "not traced, so its effect here is unknown: " + s.reason()));
        }
        return out;
    }

    private static String describe(DryRunResult.DataAtRisk d) {
        return switch (d.what()) {
            case "table_rows" -> d.rows() + " row(s) lost: drops " + d.object();
            case "column_values" -> d.rows() + " non-null value(s) lost: drops " + d.object();
            case "truncated_rows" -> d.rows() + " row(s) lost: truncates " + d.object();
            case "deleted_rows" -> d.rows() + " row(s) deleted from " + d.object();
            case "updated_rows" -> d.rows() + " row(s) changed in " + d.object();
            case "rewritten_rows" -> d.rows() + " row(s) rewritten under an ACCESS EXCLUSIVE lock: " + d.object();
            default -> d.rows() + " " + d.what().replace('_', ' ') + ": " + d.object();
        };
    }
}
