package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunTracer;
import dev.safemigrate.db.ScriptToRun;

/**
 * The pending migrations, run for real in a rolled-back transaction, and every finding about
 * them: the static analysis, corrected by what PostgreSQL actually did. A statement that drops
 * a table or column is a confirm finding whatever static analysis thought of it.
 */
final class PendingTrace {

    static final String TRACED_DROP = "dry-run-drop";
    static final String TRACED_TYPE_REWRITE = "dry-run-type-rewrite";
    static final String TRACED_REWRITE = "dry-run-rewrite";
    static final String TRACED_ROWS_CHANGED = "dry-run-rows-changed";
    static final String TRACED_NOT_EXECUTED = "dry-run-not-executed";

    /**
     * A rolled-back transaction contains what SQL does to the database, not what code does outside
     * it: as a privileged role, a function could run a shell command or read a server file. So the
     * dry run executes code only where the database itself stops that, before any approval.
     */
    static final String NOT_EXECUTED_REASON = "it runs code (a function call, DO, CALL, or code installed earlier "
            + "in the migration) and the role is not proven least-privileged, so the dry run does not execute it "
            + "before a person approves";

    /** @param atRisk what a person must decide on before the apply: see {@link AtRisk} */
    record Traced(DryRunResult result, List<MigrationFinding> findings, List<AtRisk> atRisk, TraceOrigin origin) {
        boolean needsPerson() {
            return !atRisk.isEmpty();
        }

        /** With the risks in the database itself ({@link Drift#atRisk()}) before the migrations' own. */
        Traced withRisksFirst(List<AtRisk> first) {
            if (first.isEmpty()) {
                return this;
            }
            List<AtRisk> all = new ArrayList<>(first);
            all.addAll(atRisk);
            return new Traced(result, findings, List.copyOf(all), origin);
        }
    }

    private PendingTrace() {}

    /** @param memo the last trace, reused instead of executing again when provably still true */
    static Traced run(Project project, ProvenConnection db, List<MigrationSet.Loaded> pending, TraceMemo memo)
            throws ToolException {
        List<ScriptToRun> scripts = new ArrayList<>();
        List<MigrationFinding> findings = new ArrayList<>();
        Map<String, String> paths = new HashMap<>();
        java.util.Set<String> harmless = new java.util.HashSet<>();
        for (MigrationSet.Loaded p : pending) {
            String version = p.version();
            String path = project.relative(p.file().path());
            paths.put(version, path);
            List<ScriptToRun.Step> steps = new ArrayList<>();
            for (StatementAnalysis s : p.analysis().statements()) {
                boolean heldBack = s.executesCode() && !db.leastPrivileged();
                if (!s.transactional() && !heldBack && AtRisk.HARMLESS_UNTRACED.contains(s.kind())
                        && s.findings().stream().noneMatch(f -> f.severity().atLeast(Severity.CONFIRM))) {
                    harmless.add(version + "/" + s.index());
                }
                steps.add(new ScriptToRun.Step(s.index(), s.line(), s.text(), s.transactional() && !heldBack,
                        !s.transactional() ? "PostgreSQL cannot run " + s.kind() + " inside a transaction, so a dry run "
                                + "cannot roll it back"
                                : heldBack ? NOT_EXECUTED_REASON : null, s.plainDml() && !heldBack
                                ? ScriptToRun.Step.plainDml(s.kind(), s.targets()) : null));
                if (heldBack) {
                    findings.add(MigrationFinding.of(version, path, new Finding(TRACED_NOT_EXECUTED, Severity.CONFIRM,
                            s.index(), s.line(), "the dry run did not execute this statement: " + NOT_EXECUTED_REASON,
                            "Review what it runs with your user before confirming; or connect as a least-privileged role "
                                    + "(safemigrate mark-dev --create-role) so the dry run can trace it.")));
                }
            }
            scripts.add(new ScriptToRun(version, path, steps));
            p.analysis().findings().forEach(f -> findings.add(MigrationFinding.of(version, path, f)));
        }
        java.time.Duration lockTimeout = project.config().policy().lockTimeout();
        java.time.Duration statementTimeout = project.config().policy().statementTimeout();
        TraceMemo.Outcome traced;
        try {
            traced = memo.traceOrReuse(TraceMemo.Key.of(pending, scripts, db.identity, lockTimeout, statementTimeout),
                    project.clock().instant(), (since, contents, unless) -> dev.safemigrate.db.ClusterMark.read(db.connection, since, contents, unless),
                    () -> DryRunTracer.run(db.settings, scripts, lockTimeout, statementTimeout));
        } catch (SQLException e) {
            throw new ToolException(new ToolError(ToolError.DATABASE_UNREACHABLE, "the dry run lost its connection: "
                    + e.getMessage(), "Call status, then try again."), db.identity, null);
        }
        DryRunResult result = traced.result();
        findings.addAll(tracedDrops(result, findings, paths));
        findings.addAll(tracedRewrites(result, findings, paths));
        findings.addAll(tracedRowChanges(result, paths));
        return new Traced(result, findings, AtRisk.of(result, paths, harmless), traced.origin());
    }

    /**
     * A table rewrite seen in the catalog is ground truth the static analysis may have missed: it
     * cannot know a column's old type, so it may call a change to text harmless. A type change
     * that rewrote the table is not binary-compatible (confirm); any other rewrite holds an
     * ACCESS EXCLUSIVE lock while every row is copied (warn).
     */
    private static List<MigrationFinding> tracedRewrites(DryRunResult result, List<MigrationFinding> known,
                                                         Map<String, String> paths) {
        List<MigrationFinding> traced = new ArrayList<>();
        for (DryRunResult.TracedStatement s : result.statements()) {
            if (s.rewrites().isEmpty()) {
                continue;
            }
            List<String> retyped = s.diff().retypedColumns();
            Severity severity = retyped.isEmpty() ? Severity.WARN : Severity.CONFIRM;
            if (strongestKnown(known, s).map(k -> k.atLeast(severity)).orElse(false)) {
                continue;
            }
            String tables = String.join(", ", s.rewrites());
            Finding f = retyped.isEmpty()
                    ? new Finding(TRACED_REWRITE, Severity.WARN, s.index(), s.line(),
                    "the dry run shows this statement rewrites " + tables + " under an ACCESS EXCLUSIVE lock",
                    "On a large table, use the non-rewriting form (a nullable column, a constant default) or a "
                            + "new column backfilled in batches.")
                    : new Finding(TRACED_TYPE_REWRITE, Severity.CONFIRM, s.index(), s.line(),
                    "the dry run shows the type change of " + String.join(", ", retyped) + " rewrites " + tables
                            + ": not binary-compatible, every row is rewritten under an ACCESS EXCLUSIVE lock",
                    "Add a new column of the new type, backfill it in batches, switch the code, then drop the old one.");
            traced.add(MigrationFinding.of(s.version(), paths.get(s.version()), f));
        }
        return traced;
    }

    /**
     * Rows the dry run saw changed in tables that existed before it are data at risk in this
     * database, whatever the WHERE clause looked like to the static analysis and whoever changed
     * them: the statement, a trigger it fired, a function or DO block it ran. A person confirms
     * them; the finding is added even beside a static confirm finding, since only it has the numbers.
     */
    private static List<MigrationFinding> tracedRowChanges(DryRunResult result, Map<String, String> paths) {
        List<MigrationFinding> traced = new ArrayList<>();
        for (DryRunResult.TracedStatement s : result.statements()) {
            List<DryRunResult.DataAtRisk> changed = result.dataAtRisk().stream()
                    .filter(d -> d.version().equals(s.version()) && d.index() == s.index())
                    .filter(d -> d.what().equals("deleted_rows") || d.what().equals("updated_rows")).toList();
            if (changed.isEmpty()) {
                continue;
            }
            String what = changed.stream().map(d -> d.rows() + " row(s) of " + d.object() + " "
                    + (d.what().equals("deleted_rows") ? "deleted" : "updated")).collect(Collectors.joining(", "));
            Finding f = new Finding(TRACED_ROWS_CHANGED, Severity.CONFIRM, s.index(), s.line(),
                    "the dry run shows this statement (with the triggers and functions it ran) changes data in this "
                            + "database: " + what,
                    "Check with your user that exactly these rows should change; back up first.");
            traced.add(MigrationFinding.of(s.version(), paths.get(s.version()), f));
        }
        return traced;
    }

    private static java.util.Optional<Severity> strongestKnown(List<MigrationFinding> known,
                                                               DryRunResult.TracedStatement s) {
        return known.stream().filter(f -> f.migration().equals(s.version()) && f.statement() == s.index())
                .map(MigrationFinding::severity).min(java.util.Comparator.naturalOrder());
    }

    private static List<MigrationFinding> tracedDrops(DryRunResult result, List<MigrationFinding> known,
                                                      Map<String, String> paths) {
        List<MigrationFinding> traced = new ArrayList<>();
        for (DryRunResult.TracedStatement s : result.statements()) {
            List<String> dropped = s.diff().droppedData();
            boolean alreadyConfirmed = strongestKnown(known, s).map(k -> k.atLeast(Severity.CONFIRM)).orElse(false);
            if (dropped.isEmpty() || alreadyConfirmed) {
                continue;
            }
            String atRisk = result.dataAtRisk().stream()
                    .filter(d -> d.version().equals(s.version()) && d.index() == s.index())
                    .map(d -> d.object() + ": " + d.rows() + " " + d.what().replace('_', ' '))
                    .collect(Collectors.joining(", "));
            Finding f = new Finding(TRACED_DROP, Severity.CONFIRM, s.index(), s.line(),
                    "the dry run shows this statement drops " + String.join(", ", dropped)
                            + (atRisk.isEmpty() ? "" : " (" + atRisk + ")"),
                    "Back up first and confirm with your user; if the data is still needed, copy it elsewhere in an "
                            + "earlier migration, or deprecate the object now and drop it in a later release.");
            traced.add(MigrationFinding.of(s.version(), paths.get(s.version()), f));
        }
        return traced;
    }
}
