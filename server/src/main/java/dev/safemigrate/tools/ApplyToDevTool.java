package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.Severity;
import dev.safemigrate.backup.BackupException;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.SchemaDiff;
import dev.safemigrate.migrations.AppliedMigration;
import dev.safemigrate.migrations.MigrationFolder;
import dev.safemigrate.policy.ApplyDecision;
import dev.safemigrate.policy.ApplyGate;
import dev.safemigrate.policy.ConfirmationToken;

/**
 * apply_to_dev: identity proven → Flyway validate → analyse every pending file → trace them in a
 * rolled-back transaction → the confirmation gate → backup if policy says → apply with Flyway.
 * Only ever the configured development database.
 */
public final class ApplyToDevTool {

    public record Input(Boolean dryRun, String targetVersion, String confirm) {}

    public record Output(DatabaseIdentity database, boolean dryRun, List<Pending> pending, DryRunResult dryRunResult,
                         List<Applied> applied, SchemaDiff schemaDiff, BackupTool.Backup backup,
                         List<MigrationFinding> findings) {}

    public record Pending(String version, String path, int checksum, int statementCount) {}

    public record Applied(String version, String description, long executionMs) {}

    private final Project project;

    public ApplyToDevTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in, CallContext context) {
        project.writeLock().lock();
        try (ProvenConnection db = ProvenConnection.open(project).requireDev()) {
            return apply(in, db, context);
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }

    private ToolResult apply(Input in, ProvenConnection db, CallContext context) throws ToolException {
        if (in.targetVersion() != null && !in.targetVersion().matches("[0-9][0-9._]*")) {
            throw new ToolException(new ToolError(ToolError.INVALID_INPUT, "target_version '" + in.targetVersion()
                    + "' is not a migration version", "Use a version from status, e.g. \"20261124153000\"."), db.identity, null);
        }
        validate(db);
        refuseUnanalysable(db);
        List<PendingMigrations.Loaded> pending = upTo(PendingMigrations.pending(project, db), in.targetVersion());
        List<Pending> summary = pending.stream().map(p -> new Pending(p.file().version(),
                project.relative(p.file().path()), p.checksum(), p.analysis().statements().size())).toList();
        boolean dryRun = Boolean.TRUE.equals(in.dryRun());
        if (pending.isEmpty()) {
            return ToolResult.ok(new Output(db.identity, dryRun, summary, null, List.of(), null, null, List.of()),
                    "Nothing pending: the development database is up to date.");
        }
        refuseBlocked(pending, db);

        PendingTrace.Traced trace = PendingTrace.run(project, db, pending);
        DryRunResult r = trace.result();
        if (dryRun) {
            return ToolResult.ok(new Output(db.identity, true, summary, r, List.of(), r.schemaDiff(), null, trace.findings()),
                    DryRunText.describe(r, trace.findings()));
        }
        if (!r.success()) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "the dry run failed at " + r.failure().file()
                    + " line " + r.failure().line() + ": [" + r.failure().sqlstate() + "] " + r.failure().message(),
                    "Nothing was applied. Fix the migration with create_migration (replaces: " + r.failure().version()
                            + "), check it with apply_to_dev dry_run: true, then apply."), db.identity, trace.findings());
        }

        ConfirmationToken.Subject subject = subject(pending, trace.findings());
        ConfirmationToken.Check check = ConfirmationToken.check(project.confirmationKey(), in.confirm(), subject,
                project.clock().instant());
        ApplyDecision decision = ApplyGate.decide(project.config().policy().destructive(),
                project.config().policy().backupBeforeApply(), trace.destructive(), check, context.canAskPerson());
        if (decision instanceof ApplyDecision.AskPerson) {
            boolean approved = context.askPersonToApprove(DryRunText.approvalQuestion(db.identity, trace));
            decision = ApplyGate.afterAsking(approved, project.config().policy().backupBeforeApply());
        }
        if (decision instanceof ApplyDecision.Allow allow) {
            return migrate(in, db, context, summary, trace, allow.backupFirst());
        }
        if (decision instanceof ApplyDecision.NeedsConfirmation needs) {
            throw confirmationRequired(needs, subject, db, trace);
        }
        ApplyDecision.Refuse refuse = (ApplyDecision.Refuse) decision;
        throw new ToolException(new ToolError(refuse.code(), refuse.message(), refuse.hint()), db.identity, trace.findings());
    }

    private ToolResult migrate(Input in, ProvenConnection db, CallContext context, List<Pending> summary,
                               PendingTrace.Traced trace, boolean backupFirst) throws ToolException {
        BackupTool.Backup backup = null;
        if (backupFirst) {
            try {
                backup = BackupTool.describe(project, SnapshotBackup.take(project, db, "before_apply"));
            } catch (BackupException e) {
                throw new ToolException(new ToolError(ToolError.BACKUP_FAILED, "the backup before applying failed, so "
                        + "nothing was applied: " + e.getMessage(), e.hint()), db.identity, trace.findings());
            }
        }
        int total = summary.size();
        int[] done = {0};
        try {
            List<AppliedMigration> applied = project.flyway(db.settings).migrate(in.targetVersion(), (version, description) ->
                    context.progress(++done[0], total, "applied " + version + " " + description));
            List<Applied> out = applied.stream().map(a -> new Applied(a.version(), a.description(), a.executionMs())).toList();
            String text = "Applied " + out.size() + " migration(s) to " + db.identity.name() + ": "
                    + out.stream().map(Applied::version).collect(Collectors.joining(", ")) + ". Schema: "
                    + trace.result().schemaDiff().summary() + "."
                    + (backup == null ? "" : " Backup first: " + backup.path() + ".");
            return ToolResult.ok(new Output(db.identity, false, summary, null, out, trace.result().schemaDiff(), backup,
                    trace.findings()), text);
        } catch (FlywayException e) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "Flyway failed: " + causes(e),
                    "PostgreSQL rolled the failing migration back. Fix it with create_migration (replaces: its version), "
                            + "check it with apply_to_dev dry_run: true, then apply again."
                            + (backup == null ? "" : " A backup was taken first: " + backup.path())),
                    db.identity, trace.findings());
        }
    }

    private ToolException confirmationRequired(ApplyDecision.NeedsConfirmation needs, ConfirmationToken.Subject subject,
                                               ProvenConnection db, PendingTrace.Traced trace) {
        String token = ConfirmationToken.issue(project.confirmationKey(), subject, project.clock().instant());
        String expires = project.clock().instant().plus(ConfirmationToken.VALIDITY).toString();
        long confirms = trace.findings().stream().filter(f -> f.severity() == Severity.CONFIRM).count();
        return new ToolException(new ToolError(ToolError.CONFIRMATION_REQUIRED,
                needs.reason() + ": " + confirms + " finding(s) need confirmation; nothing was applied",
                "Show your user every finding and the data at risk, and ask for an explicit yes. Only if they agree, call "
                        + "apply_to_dev again with confirm set to confirmation_token (valid until " + expires
                        + "; it covers exactly these migrations as they are now)."),
                db.identity, trace.findings(), new ToolException.Confirmation(token, expires, trace.result().dataAtRisk()));
    }

    private static ConfirmationToken.Subject subject(List<PendingMigrations.Loaded> pending, List<MigrationFinding> findings) {
        List<String> migrations = pending.stream()
                .map(p -> ConfirmationToken.Subject.migration(p.file().version(), p.checksum())).toList();
        List<String> ids = findings.stream().filter(f -> f.severity() == Severity.CONFIRM).map(MigrationFinding::id).toList();
        return new ConfirmationToken.Subject(migrations, ids);
    }

    private void refuseBlocked(List<PendingMigrations.Loaded> pending, ProvenConnection db) throws ToolException {
        List<MigrationFinding> blocked = new ArrayList<>();
        for (PendingMigrations.Loaded p : pending) {
            String path = project.relative(p.file().path());
            p.analysis().atLeast(Severity.BLOCK).forEach(f -> blocked.add(MigrationFinding.of(p.file().version(), path, f)));
        }
        if (!blocked.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.SQL_REJECTED, "pending migrations contain statements that are "
                    + "never allowed: " + blocked.stream().map(f -> f.path() + " line " + f.line() + " [" + f.rule() + "] "
                    + f.message()).collect(Collectors.joining("; ")),
                    "Nothing was applied. Replace the pending migration (create_migration with replaces) without them."),
                    db.identity, blocked);
        }
    }

    /** Every SQL file Flyway might run must be a versioned migration this tool has analysed. */
    private void refuseUnanalysable(ProvenConnection db) throws ToolException {
        List<String> others;
        try {
            others = project.migrations().otherSqlFiles().stream().map(project::relative).toList();
        } catch (java.io.IOException e) {
            throw new ToolException(new ToolError(ToolError.INTERNAL_ERROR, "cannot read the migrations folder: "
                    + e.getMessage(), "Check that " + project.migrations().dir() + " is readable."), db.identity, null);
        }
        if (!others.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, "the migrations folder holds SQL files "
                    + "that are not versioned migrations (V<version>__<name>.sql): " + String.join(", ", others),
                    "Nothing was applied. safemigrate only runs versioned migrations it has analysed; repeatable (R__), "
                            + "undo, baseline and callback scripts would run unchecked. Ask your user to move them out "
                            + "of the folder, or turn their SQL into a migration with create_migration."),
                    db.identity, null);
        }
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
                        : problems.stream().anyMatch(p -> p.toLowerCase().contains("failed migration"))
                        ? "A migration that ran outside a transaction failed halfway, so the database holds part of it. "
                                + "Show this to your user: a person must undo what it did and mark it repaired "
                                + "(flyway repair); safemigrate has no repair tool on purpose. Nothing was applied."
                        : "Show these problems to your user; nothing was applied."), db.identity, null);
    }

    /** Flyway puts PostgreSQL's own words (SQLSTATE, message, line) in the causes, not the top message. */
    private static String causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 5; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (messages.stream().noneMatch(prev -> prev.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(" — ", messages);
    }

    private static List<PendingMigrations.Loaded> upTo(List<PendingMigrations.Loaded> pending, String target) {
        if (target == null) {
            return pending;
        }
        MigrationFolder.VersionKey limit = new MigrationFolder.VersionKey(target);
        return pending.stream().filter(p -> new MigrationFolder.VersionKey(p.file().version()).compareTo(limit) <= 0).toList();
    }
}
