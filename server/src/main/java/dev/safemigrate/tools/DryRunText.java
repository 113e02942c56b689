package dev.safemigrate.tools;

import java.util.List;
import java.util.stream.Collectors;

import dev.safemigrate.analysis.Severity;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;

/** The human-readable side of a dry run: the tool's text, and the question put to the person. */
final class DryRunText {

    private DryRunText() {}

    static String describe(DryRunResult r, List<MigrationFinding> findings) {
        StringBuilder sb = new StringBuilder();
        if (r.success()) {
            sb.append("Dry run succeeded: ").append(r.statementsExecuted())
                    .append(" statement(s) ran and were rolled back; the database is unchanged.\n");
        } else {
            DryRunResult.Failure f = r.failure();
            sb.append("Dry run failed at ").append(f.file()).append(" line ").append(f.line()).append(": [")
                    .append(f.sqlstate()).append("] ").append(f.message()).append(". Everything was rolled back.\n");
        }
        sb.append("Schema: ").append(r.schemaDiff().summary()).append('\n');
        for (DryRunResult.TracedStatement s : r.statements()) {
            if (!s.newLocks().isEmpty() || !s.rewrites().isEmpty()) {
                sb.append("  ").append(s.version()).append(" line ").append(s.line()).append(": locks ")
                        .append(s.newLocks().stream().map(l -> l.mode() + " on " + l.relation()).collect(Collectors.joining(", ")))
                        .append(s.rewrites().isEmpty() ? "" : "; rewrites " + String.join(", ", s.rewrites())).append('\n');
            }
        }
        appendDataAtRisk(sb, r.dataAtRisk());
        for (DryRunResult.Skipped s : r.notDryRunnable()) {
            sb.append("Not dry-runnable: ").append(s.file()).append(" line ").append(s.line()).append(": ")
                    .append(s.reason()).append('\n');
        }
        return sb.toString().strip();
    }

    /** What the person is asked about, numbers first, then how many findings were only reported. */
    static String atRisk(List<AtRisk> atRisk, List<MigrationFinding> findings) {
        StringBuilder sb = new StringBuilder();
        if (atRisk.isEmpty()) {
            sb.append("Nothing at risk in this database: applying needs no confirmation.");
        } else {
            sb.append("At risk in this database (needs your user's yes):\n");
            atRisk.forEach(a -> sb.append("- ").append(a.what()).append(" (").append(a.path()).append(" line ")
                    .append(a.line()).append(")\n"));
        }
        long confirms = findings.stream().filter(f -> f.severity() == Severity.CONFIRM).count();
        if (confirms > 0) {
            sb.append("\n").append(confirms).append(" confirm finding(s) describe what these statements would do to a "
                    + "database with data (production): show them to your user before the migrations leave dev.");
        }
        return sb.toString().strip();
    }

    static String approvalQuestion(DatabaseIdentity db, PendingTrace.Traced trace) {
        StringBuilder sb = new StringBuilder("An AI agent wants to apply migrations to ")
                .append(db.name()).append(" on ").append(db.host()).append(':').append(db.port())
                .append(". The dry run shows at risk:\n");
        trace.atRisk().forEach(a -> sb.append("- ").append(a.what()).append(" (").append(a.path()).append(" line ")
                .append(a.line()).append(")\n"));
        return sb.append("Apply them?").toString();
    }

    private static void appendDataAtRisk(StringBuilder sb, List<DryRunResult.DataAtRisk> atRisk) {
        for (DryRunResult.DataAtRisk d : atRisk) {
            sb.append("Data at risk: ").append(d.object()).append(": ").append(d.rows()).append(' ')
                    .append(d.what().replace('_', ' ')).append(" (").append(d.version()).append(" line ").append(d.line())
                    .append(")\n");
        }
    }
}
