package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunner;
import dev.safemigrate.db.ScriptToRun;
import dev.safemigrate.migrations.AppliedMigration;
import dev.safemigrate.migrations.MigrationFolder;

/**
 * apply_to_dev: identity proven → Flyway validate → analyse every pending file → dry run, or
 * apply with Flyway. Only ever the configured development database.
 */
public final class ApplyToDevTool {

    public record Input(Boolean dryRun, String targetVersion, String confirm) {}

    public record Output(DatabaseIdentity database, boolean dryRun, List<Pending> pending, DryRun dryRunResult,
                         List<Applied> applied, List<Finding> findings) {}

    public record Pending(String version, String path, int checksum, int statementCount) {}

    public record Applied(String version, String description, long executionMs) {}

    public record DryRun(boolean success, boolean rolledBack, int statementsExecuted,
                         List<DryRunResult.StatementOutcome> statements, List<DryRunResult.Skipped> notDryRunnable,
                         DryRunResult.Failure failure) {}

    private final Project project;

    public ApplyToDevTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in) {
        project.writeLock().lock();
        try (ProvenConnection db = ProvenConnection.open(project).requireDev()) {
            return apply(in, db);
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }

    private ToolResult apply(Input in, ProvenConnection db) throws ToolException {
        if (in.targetVersion() != null && !in.targetVersion().matches("[0-9][0-9._]*")) {
            throw new ToolException(new ToolError(ToolError.INVALID_INPUT, "target_version '" + in.targetVersion()
                    + "' is not a migration version", "Use a version from status, e.g. \"20261124153000\"."), db.identity, null);
        }
        validate(db);
        List<PendingMigrations.Loaded> pending = upTo(PendingMigrations.pending(project, db), in.targetVersion());
        List<Finding> findings = new ArrayList<>();
        pending.forEach(p -> findings.addAll(p.analysis().findings()));
        List<Finding> blocked = findings.stream().filter(f -> f.severity() == Severity.BLOCK).toList();
        if (!blocked.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.SQL_REJECTED,
                    "pending migrations contain statements that are never allowed: " + CreateMigrationTool.describe(blocked),
                    "Nothing was applied. Replace the pending migration (create_migration with replaces) without them."),
                    db.identity, findings);
        }
        List<Pending> summary = pending.stream().map(p -> new Pending(p.file().version(),
                project.migrations().relative(p.file().path()), p.checksum(), p.analysis().statements().size())).toList();
        boolean dryRun = Boolean.TRUE.equals(in.dryRun());
        if (pending.isEmpty()) {
            return ToolResult.ok(new Output(db.identity, dryRun, summary, null, List.of(), findings),
                    "Nothing pending: the development database is up to date.");
        }
        if (dryRun) {
            return dryRun(db, pending, summary, findings);
        }
        try {
            List<AppliedMigration> applied = project.flyway(db.settings).migrate(in.targetVersion());
            List<Applied> out = applied.stream().map(a -> new Applied(a.version(), a.description(), a.executionMs())).toList();
            return ToolResult.ok(new Output(db.identity, false, summary, null, out, findings),
                    "Applied " + out.size() + " migration(s) to " + db.identity.name() + ": "
                            + String.join(", ", out.stream().map(Applied::version).toList()) + ".");
        } catch (FlywayException e) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "Flyway failed: " + e.getMessage(),
                    "PostgreSQL rolled the failing migration back. Fix it with create_migration (replaces: its version), "
                            + "check it with apply_to_dev dry_run: true, then apply again."), db.identity, findings);
        }
    }

    private ToolResult dryRun(ProvenConnection db, List<PendingMigrations.Loaded> pending, List<Pending> summary,
                              List<Finding> findings) throws ToolException {
        List<ScriptToRun> scripts = new ArrayList<>();
        for (PendingMigrations.Loaded p : pending) {
            List<ScriptToRun.Step> steps = new ArrayList<>();
            for (StatementAnalysis s : p.analysis().statements()) {
                steps.add(new ScriptToRun.Step(s.line(), s.text(), s.transactional(), s.transactional() ? null
                        : "PostgreSQL cannot run " + s.kind() + " inside a transaction, so a dry run cannot roll it back"));
            }
            scripts.add(new ScriptToRun(p.file().version(), project.migrations().relative(p.file().path()), steps));
        }
        DryRunResult r;
        try {
            r = DryRunner.run(db.settings, scripts, project.config().policy().lockTimeout(),
                    project.config().policy().statementTimeout());
        } catch (SQLException e) {
            throw new ToolException(new ToolError(ToolError.DATABASE_UNREACHABLE, "the dry run lost its connection: "
                    + e.getMessage(), "Call status, then try the dry run again."), db.identity, findings);
        }
        DryRun dry = new DryRun(r.success(), true, r.statementsExecuted(), r.statements(), r.notDryRunnable(), r.failure());
        String text = r.success()
                ? "Dry run succeeded: " + r.statementsExecuted() + " statement(s) in " + pending.size()
                        + " migration(s) ran and were rolled back; the database is unchanged."
                : "Dry run failed at " + r.failure().file() + " line " + r.failure().line() + ": [" + r.failure().sqlstate()
                        + "] " + r.failure().message() + ". Everything was rolled back.";
        return ToolResult.ok(new Output(db.identity, true, summary, dry, List.of(), findings), text);
    }

    private void validate(ProvenConnection db) throws ToolException {
        List<String> problems;
        try {
            problems = project.flyway(db.settings).validate();
        } catch (FlywayException e) {
            problems = List.of(e.getMessage());
        }
        if (problems.isEmpty()) {
            return;
        }
        boolean checksum = problems.stream().anyMatch(p -> p.toLowerCase().contains("checksum mismatch"));
        throw new ToolException(new ToolError(checksum ? ToolError.CHECKSUM_MISMATCH : ToolError.VALIDATION_FAILED,
                String.join("; ", problems),
                checksum ? "An applied migration file was edited. Restore the file to what was applied (git checkout it) "
                        + "and put the change in a new migration; applied migrations are immutable."
                        : "Show these problems to your user; nothing was applied."), db.identity, null);
    }

    private static List<PendingMigrations.Loaded> upTo(List<PendingMigrations.Loaded> pending, String target) {
        if (target == null) {
            return pending;
        }
        MigrationFolder.VersionKey limit = new MigrationFolder.VersionKey(target);
        return pending.stream().filter(p -> new MigrationFolder.VersionKey(p.file().version()).compareTo(limit) <= 0).toList();
    }
}
