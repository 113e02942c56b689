package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

import dev.safemigrate.analysis.Severity;
import dev.safemigrate.backup.BackupException;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.HistoryDigest;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.db.SchemaDiff;
import dev.safemigrate.migrations.AppliedMigration;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.ValidationProblem;
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

    /** @param trace whether the dry run's trace was executed by this call or reused, and why */
    public record Output(DatabaseIdentity database, boolean dryRun, List<Pending> pending, DryRunResult dryRunResult,
                         TraceOrigin trace, List<Applied> applied, SchemaDiff schemaDiff, BackupTool.Backup backup,
                         List<MigrationFinding> findings, List<AtRisk> atRisk) implements Audited {
        @Override
        public java.util.Map<String, Object> auditSummary() {
            DryRunResult.Failure failure = dryRunResult == null ? null : dryRunResult.failure();
            AuditSummary s = new AuditSummary().put("dry_run", dryRun)
                    .put("pending", pending == null ? null : pending.stream().map(Pending::version).toList())
                    .put("applied", applied == null ? null : applied.stream().map(Applied::version).toList())
                    .put("backup", backup == null ? null : backup.file())
                    .put("dry_run_success", dryRunResult == null ? null : dryRunResult.success())
                    .put("trace_reused", trace == null ? null : trace.reused())
                    .put("failure", failure == null ? null
                            : failure.file() + ":" + failure.line() + " " + failure.sqlstate());
            return FindingsSummary.of(s, null, findings).build();
        }
    }

    public record Pending(String version, String path, int checksum, int statementCount) {}

    public record Applied(String version, String description, long executionMs) {}

    private final Project project;
    /** One per server process: this tool is made once, and the memo lives no longer than it. */
    private final TraceMemo traces = new TraceMemo();
    /** The apply after a dry run analyses none of the unchanged files again. */
    private final AnalysisMemo analyses = new AnalysisMemo();

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
        MigrationVersion target = target(in.targetVersion(), db);
        // read once: the analysis, the dry run, the confirmation and Flyway all work from this snapshot
        MigrationSnapshot snapshot = MigrationSet.snapshot(project, db);
        refuseStrays(snapshot, db);
        MigrationSet set = MigrationSet.of(project, db, snapshot, flywayInfo(snapshot, db), analyses);
        List<MigrationSet.Loaded> pending = set.pending().stream()
                .filter(p -> target == null || p.migration().version().compareTo(target) <= 0).toList();
        List<Pending> summary = pending.stream().map(p -> new Pending(p.version(), project.relative(p.file().path()),
                p.file().checksum(), p.analysis().statements().size())).toList();
        boolean dryRun = Boolean.TRUE.equals(in.dryRun());
        if (pending.isEmpty()) {
            return ToolResult.ok(new Output(db.identity, dryRun, summary, null, null, List.of(), null, null, List.of(), List.of()),
                    "Nothing pending: the development database is up to date.");
        }
        refuseBlocked(pending, db);

        PendingTrace.Traced trace = PendingTrace.run(project, db, pending, traces);
        DryRunResult r = trace.result();
        if (dryRun) {
            return ToolResult.ok(new Output(db.identity, true, summary, r, trace.origin(), List.of(), r.schemaDiff(), null,
                    trace.findings(), trace.atRisk()),
                    DryRunText.describe(r, trace.findings()) + "\n" + DryRunText.atRisk(trace.atRisk(), trace.findings())
                            + "\n" + describe(trace.origin()));
        }
        if (!r.success()) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "the dry run failed at " + r.failure().file()
                    + " line " + r.failure().line() + ": [" + r.failure().sqlstate() + "] " + r.failure().message(),
                    "Nothing was applied. Fix the migration with create_migration (replaces: " + r.failure().version()
                            + "), check it with apply_to_dev dry_run: true, then apply."), db.identity, trace.findings());
        }

        ConfirmationToken.Subject subject = subject(pending, trace.atRisk());
        ConfirmationToken.Check check = ConfirmationToken.check(project.confirmationKey(), in.confirm(), subject,
                project.clock().instant());
        ApplyDecision decision = ApplyGate.decide(project.config().policy().destructive(),
                project.config().policy().backupBeforeApply(), trace.needsPerson(), check, context.canAskPerson());
        if (decision instanceof ApplyDecision.AskPerson) {
            boolean approved = context.askPersonToApprove(DryRunText.approvalQuestion(db.identity, trace));
            decision = ApplyGate.afterAsking(approved, project.config().policy().backupBeforeApply());
        }
        if (decision instanceof ApplyDecision.Allow allow) {
            return migrate(in, db, context, snapshot, summary, trace, allow.backupFirst());
        }
        if (decision instanceof ApplyDecision.NeedsConfirmation needs) {
            throw confirmationRequired(needs, subject, db, trace);
        }
        ApplyDecision.Refuse refuse = (ApplyDecision.Refuse) decision;
        throw new ToolException(new ToolError(refuse.code(), refuse.message(), refuse.hint()), db.identity, trace.findings());
    }

    private ToolResult migrate(Input in, ProvenConnection db, CallContext context, MigrationSnapshot snapshot,
                               List<Pending> summary, PendingTrace.Traced trace, boolean backupFirst) throws ToolException {
        BackupTool.Backup backup = null;
        if (backupFirst) {
            try {
                backup = BackupTool.describe(project, SnapshotBackup.take(project, db, "before_apply"));
            } catch (BackupException e) {
                throw new ToolException(new ToolError(ToolError.BACKUP_FAILED, "the backup before applying failed, so "
                        + "nothing was applied: " + e.getMessage(), e.hint()), db.identity, trace.findings());
            }
        }
        refuseChangedSince(snapshot, db, trace);
        // whatever happens next, the database is no longer what the trace saw
        traces.forget();
        int total = summary.size();
        int[] done = {0};
        try {
            List<AppliedMigration> applied = project.flyway(db.settings).migrate(snapshot, in.targetVersion(),
                    (version, description) -> context.progress(++done[0], total, "applied " + version + " " + description));
            List<Applied> out = applied.stream().map(a -> new Applied(a.version(), a.description(), a.executionMs())).toList();
            String text = "Applied " + out.size() + " migration(s) to " + db.identity.name() + ": "
                    + out.stream().map(Applied::version).collect(Collectors.joining(", ")) + ". Schema: "
                    + trace.result().schemaDiff().summary() + "."
                    + (backup == null ? "" : " Backup first: " + backup.path() + ".") + " " + describe(trace.origin());
            return ToolResult.ok(new Output(db.identity, false, summary, null, trace.origin(), out,
                    trace.result().schemaDiff(), backup, trace.findings(), trace.atRisk()), text);
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
        return new ToolException(new ToolError(ToolError.CONFIRMATION_REQUIRED,
                needs.reason() + "; nothing was applied. At risk in " + db.identity.name() + ": "
                        + trace.atRisk().stream().map(AtRisk::what).collect(Collectors.joining("; ")),
                "Show your user what is at risk (at_risk) and the findings, and ask for an explicit yes. Only if they "
                        + "agree, call apply_to_dev again with confirm set to confirmation_token (valid until " + expires
                        + "; it covers exactly these migrations as they are now)."),
                db.identity, trace.findings(),
                new ToolException.Confirmation(token, expires, trace.result().dataAtRisk(), trace.atRisk(), trace.origin()));
    }

    private static String describe(TraceOrigin origin) {
        return origin.reused() ? "Trace reused: " + origin.why() + "."
                : "Traced at " + origin.tracedAt() + " (not reused: " + origin.why() + ").";
    }

    /**
     * The token and a person's approval cover the exact bytes of each pending file, by sha256, and
     * exactly the risks the person was shown.
     */
    private static ConfirmationToken.Subject subject(List<MigrationSet.Loaded> pending, List<AtRisk> atRisk) {
        List<String> migrations = pending.stream()
                .map(p -> ConfirmationToken.Subject.migration(p.version(), p.file().sha256())).toList();
        return new ConfirmationToken.Subject(migrations, atRisk.stream().map(AtRisk::id).toList());
    }

    private void refuseBlocked(List<MigrationSet.Loaded> pending, ProvenConnection db) throws ToolException {
        List<MigrationFinding> blocked = new ArrayList<>();
        for (MigrationSet.Loaded p : pending) {
            String path = project.relative(p.file().path());
            p.analysis().atLeast(Severity.BLOCK).forEach(f -> blocked.add(MigrationFinding.of(p.version(), path, f)));
        }
        if (!blocked.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.SQL_REJECTED, "pending migrations contain statements that are "
                    + "never allowed: " + blocked.stream().map(f -> f.path() + " line " + f.line() + " [" + f.rule() + "] "
                    + f.message()).collect(Collectors.joining("; ")),
                    "Nothing was applied. Replace the pending migration (create_migration with replaces) without them."),
                    db.identity, blocked);
        }
    }

    /**
     * Flyway's validation, then its info, about the snapshot and the history as it is now; or what
     * Flyway said about the very same files and history earlier (status, a dry run): {@link FlywayAnswers}.
     * Each refusal comes in the same order either way: validation problems, then an unadopted schema.
     */
    private List<dev.safemigrate.migrations.Migration> flywayInfo(MigrationSnapshot snapshot, ProvenConnection db)
            throws ToolException {
        FlywayAnswers.Answer answer;
        SchemaHistory where;
        try {
            where = db.schemaHistory();
            answer = project.flywayAnswers().answer(
                    FlywayAnswers.Key.of(db.settings, HistoryDigest.read(db.connection, where), snapshot), snapshot, () -> {
                        List<ValidationProblem> problems = validate(snapshot, db);
                        refuseInvalid(problems, db);
                        refuseUnadopted(where, db);
                        return new FlywayAnswers.Answer(MigrationSet.info(project, db, snapshot), problems);
                    }, () -> HistoryDigest.read(db.connection, db.schemaHistory()));
        } catch (java.sql.SQLException e) {
            throw new ToolException(new ToolError(ToolError.DATABASE_UNREACHABLE, "could not read the schema history: "
                    + e.getMessage(), "Call status, then try again."), db.identity, null);
        }
        // a remembered answer was given before these checks, by status perhaps: they hold for it too
        refuseInvalid(answer.problems(), db);
        refuseUnadopted(where, db);
        return answer.migrations();
    }

    /**
     * Flyway refuses to migrate a non-empty schema without its history table; the dry run must
     * give the same answer rather than succeed and let the apply fail after a person confirmed.
     */
    private static void refuseUnadopted(SchemaHistory where, ProvenConnection db) throws ToolException {
        String schema = where.missingOnNonEmptySchema();
        if (schema != null) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, Adoption.message(schema),
                    Adoption.HINT), db.identity, null);
        }
    }

    /** Only what safemigrate understands may be in the folder: anything else could be run by Flyway unanalysed. */
    private void refuseStrays(MigrationSnapshot snapshot, ProvenConnection db) throws ToolException {
        if (snapshot.strays().isEmpty()) {
            return;
        }
        throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, "the migrations folder holds entries "
                + "safemigrate does not run: " + snapshot.strays().stream()
                .map(st -> project.relative(st.path()) + " (" + st.why() + ")").collect(Collectors.joining("; ")),
                "Nothing was applied. safemigrate runs only regular V<version>__<name>.sql files it has analysed. Show "
                        + "this to your user: a person must remove or move these entries; to keep their SQL, put it in "
                        + "a migration with create_migration."), db.identity, null);
    }

    /**
     * Flyway executes from the snapshot, so a file edited during the call cannot change what runs;
     * but the person approved what the folder held, so a folder that changed since is refused.
     */
    private void refuseChangedSince(MigrationSnapshot snapshot, ProvenConnection db, PendingTrace.Traced trace)
            throws ToolException {
        List<String> changes = snapshot.changesIn(MigrationSet.snapshot(project, db));
        if (!changes.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, "the migrations folder changed while "
                    + "apply_to_dev was checking it: " + String.join("; ", changes) + "; nothing was applied",
                    "Call apply_to_dev with dry_run: true again to check the migrations as they are now."),
                    db.identity, trace.findings());
        }
    }

    /** @return why Flyway would refuse to migrate; a Flyway failure is one such reason */
    private List<ValidationProblem> validate(MigrationSnapshot snapshot, ProvenConnection db) {
        try {
            return project.flyway(db.settings).validate(snapshot);
        } catch (FlywayException e) {
            return List.of(new ValidationProblem(ValidationProblem.Kind.OTHER, null, causes(e)));
        }
    }

    private static void refuseInvalid(List<ValidationProblem> problems, ProvenConnection db) throws ToolException {
        if (problems.isEmpty()) {
            return;
        }
        String message = problems.stream().map(ValidationProblem::message).collect(Collectors.joining("; "));
        boolean edited = problems.stream().anyMatch(p -> p.kind() == ValidationProblem.Kind.CHECKSUM_MISMATCH);
        boolean failed = problems.stream().anyMatch(p -> p.kind() == ValidationProblem.Kind.FAILED);
        throw new ToolException(new ToolError(edited ? ToolError.CHECKSUM_MISMATCH : ToolError.VALIDATION_FAILED, message,
                edited ? "An applied migration file was edited. Restore the file to what was applied (git checkout it) "
                        + "and put the change in a new migration; applied migrations are immutable. Nothing was applied."
                        : failed ? "A migration that ran outside a transaction failed halfway, so the database holds part "
                        + "of it. Show this to your user: a person must undo what it did and clear the failed entry; "
                        + "safemigrate has no tool for that on purpose. Nothing was applied."
                        : "Show these problems to your user; a person must resolve them. Nothing was applied."),
                db.identity, null);
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

    private static MigrationVersion target(String target, ProvenConnection db) throws ToolException {
        if (target == null) {
            return null;
        }
        java.util.Optional<MigrationVersion> version = target.matches("[0-9][0-9._]*")
                ? MigrationSnapshot.parseVersion(target) : java.util.Optional.empty();
        if (version.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.INVALID_INPUT, "target_version '" + target
                    + "' is not a migration version", "Use a version from status, e.g. \"20261124153000\"."),
                    db.identity, null);
        }
        return version.get();
    }
}
