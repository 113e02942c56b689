package dev.safemigrate.tools;

import java.util.List;

import dev.safemigrate.db.DatabaseIdentity;

/**
 * The human-readable side of a dry run: a few lines for the person watching (what happened, what
 * is at risk in numbers, the next step), never a listing; and the question put to the person.
 */
final class DryRunText {

    /** At risk lines a text or a question names before saying how many more there are. */
    private static final int NAMED = 5;

    private DryRunText() {}

    static String describe(ApplyToDevTool.Output out, List<AtRisk> atRisk) {
        ApplyToDevTool.Summary s = out.summary();
        StringBuilder sb = new StringBuilder();
        if (Boolean.TRUE.equals(s.success())) {
            sb.append("Dry run succeeded: ").append(s.migrations()).append(" migration(s), ").append(s.statementsExecuted())
                    .append(" statement(s) ran and were rolled back; the database is unchanged.\n");
        } else {
            var f = out.dryRunResult().failure();
            sb.append("Dry run failed at ").append(f.file()).append(" line ").append(f.line()).append(": [")
                    .append(f.sqlstate()).append("] ").append(Budget.clip(f.message(), 300))
                    .append(". Everything was rolled back.\n");
        }
        sb.append("Schema: ").append(s.created()).append(" created, ").append(s.dropped()).append(" dropped, ")
                .append(s.altered()).append(" altered, ").append(s.rewritten()).append(" rewritten; ")
                .append(s.lockedExisting()).append(" existing relation(s) locked; findings: ")
                .append(out.findingsSummary().inWords()).append(".\n");
        if (s.notDryRunnable() > 0) {
            sb.append(s.notDryRunnable()).append(" statement(s) not dry-runnable (not_dry_runnable).\n");
        }
        sb.append(atRisk(atRisk)).append('\n');
        sb.append("Next: ").append(out.next());
        return sb.toString();
    }

    /** What the person is asked about, numbers first. */
    static String atRisk(List<AtRisk> atRisk) {
        if (atRisk.isEmpty()) {
            return "Nothing at risk in this database: applying needs no confirmation.";
        }
        StringBuilder sb = new StringBuilder("At risk in this database (needs your user's yes): ").append(atRisk.size())
                .append('\n');
        named(sb, atRisk);
        return sb.toString().strip();
    }

    static String approvalQuestion(DatabaseIdentity db, PendingTrace.Traced trace, Drift drift) {
        return approvalQuestion(db, trace.atRisk(), drift, "apply migrations to", "Apply them?");
    }

    /** Names a person is shown of a schema changed outside safemigrate, before "and n more". */
    private static final int DRIFT_NAMES = 200;

    /**
     * @param drift the schema changed outside safemigrate: every name (up to {@value #DRIFT_NAMES}) is
     *              listed, since the person approves running on exactly that schema
     * @param wants what the agent wants to do, e.g. "apply migrations to"
     */
    static String approvalQuestion(DatabaseIdentity db, List<AtRisk> atRisk, Drift drift, String wants, String question) {
        StringBuilder sb = new StringBuilder("An AI agent wants to ").append(wants).append(' ')
                .append(db.name()).append(" on ").append(db.host()).append(':').append(db.port())
                .append(". The checks show ").append(atRisk.size()).append(" risk(s):\n");
        // a person reads all of what they approve: this goes to them, not into the agent's context
        atRisk.forEach(a -> sb.append("- ").append(a.what()).append(a.where()).append('\n'));
        if (drift.changed()) {
            sb.append("Changed outside safemigrate since ").append(drift.since()).append(":\n");
            List<String> names = drift.entries();
            names.stream().limit(DRIFT_NAMES).forEach(n -> sb.append("  ").append(n).append('\n'));
            if (names.size() > DRIFT_NAMES) {
                sb.append("  and ").append(names.size() - DRIFT_NAMES).append(" more (status {\"list\":\"drift\"})\n");
            }
        }
        return sb.append(question).toString();
    }

    /** "1, 2, 3 … 240": which migrations, in one line however many. */
    static String versions(List<String> versions) {
        if (versions.size() <= 6) {
            return String.join(", ", versions);
        }
        return String.join(", ", versions.subList(0, 3)) + " … " + versions.get(versions.size() - 1);
    }

    private static void named(StringBuilder sb, List<AtRisk> atRisk) {
        atRisk.stream().limit(NAMED).forEach(a -> sb.append("- ").append(Budget.clip(a.what(), 200)).append(a.where())
                .append('\n'));
        if (atRisk.size() > NAMED) {
            sb.append("- and ").append(atRisk.size() - NAMED).append(" more\n");
        }
    }
}
