package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The trace's own statements, kept for the whole dry run: pgjdbc then executes them as
 * server-side prepared statements, whose generic plans PostgreSQL keeps ({@link TraceSettings}).
 *
 * <p>A generic plan is made once, for the catalogs as they were then. A dry run that starts on an
 * empty database plans its lookups as scans of catalogs of a few hundred rows, and those scans
 * then grow with every relation the migrations create: the catalog-changes query scanned all of
 * pg_index, pg_constraint and pg_attrdef for each relation a statement wrote. So once the schema
 * has doubled since they were planned, the statements are planned again, and the planner sees
 * the catalogs' size now (their pages). Doubling keeps that to a few times per dry run.
 */
final class TraceStatements {

    /** Fewer new relations than this never make the statements planned again. */
    static final int LEAST_GROWTH = 100;

    private final Connection c;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    /** How many relations the schema had when the statements were last planned; -1 before the first statement. */
    private int plannedAt = -1;
    private int plans;

    TraceStatements(Connection c) {
        this.c = c;
    }

    /** The statement for this text, prepared once per plan. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement s = prepared.get(sql);
        if (s == null) {
            // pgjdbc keeps its server-side statements by text, and would hand back the old plan
            s = c.prepareStatement(plans == 0 ? sql : sql + "\n/* planned again: " + plans + " */");
            prepared.put(sql, s);
        }
        return s;
    }

    /**
     * Told, before each statement of the migrations, how many relations the schema has had: the
     * statements are planned again when {@link #due}. None of their results may be open.
     */
    void schemaHas(int relations) throws SQLException {
        if (plannedAt < 0) {
            plannedAt = relations;
        } else if (due(plannedAt, relations)) {
            for (PreparedStatement s : prepared.values()) {
                s.close();
            }
            prepared.clear();
            plannedAt = relations;
            plans++;
        }
    }

    /** Whether a schema planned for at {@code plannedAt} relations has grown enough at {@code now} to plan again. */
    static boolean due(int plannedAt, int now) {
        return now - plannedAt >= Math.max(LEAST_GROWTH, plannedAt);
    }

    /** How many times the statements were planned again. */
    int plans() {
        return plans;
    }
}
