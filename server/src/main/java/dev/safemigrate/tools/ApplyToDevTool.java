package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * apply_to_dev: settings a person approved → identity proven → Flyway validate → analyse every pending file → trace them in a
 * rolled-back transaction → the confirmation gate → backup if policy says → apply with Flyway.
 * Only ever the configured development database.
 */
public final class ApplyToDevTool {

    /**
     * @param list    with dry_run: one list of the answer, paged (pending, findings, statements, schema_diff,
     *                at_risk, data_at_risk, not_dry_runnable, applied)
     * @param version with dry_run: only this migration's part of the trace
     */
    public record Input(Boolean dryRun, String targetVersion, String confirm, String list, String version,
                        String severity, Integer offset, Integer limit) {}

    /**
     * Decisive fields first: what a person must decide on, the next call, the counts; then the
     * lists, whole when they fit and otherwise behind the calls {@code truncated} names.
     *
     * @param drift whether the schema changed outside safemigrate since its last apply, and what
     * @param trace whether the dry run's trace was executed by this call or reused, and why
     */
    public record Output(List<AtRisk> atRisk, String next, Summary summary, FindingCounts findingsSummary,
                         Truncated truncated, Drift.View drift, DatabaseIdentity database, boolean dryRun, List<Pending> pending,
                         DryRunView dryRunResult, TraceOrigin trace, List<Applied> applied, SchemaDiff schemaDiff,
                         BackupTool.Backup backup, List<MigrationFinding> findings,
                         @JsonIgnore List<MigrationFinding> allFindings) implements Audited {
        @Override
        public java.util.Map<String, Object> auditSummary() {
            DryRunResult.Failure failure = dryRunResult == null ? null : dryRunResult.failure();
            AuditSummary s = new AuditSummary().put("dry_run", dryRun)
                    .put("pending", pending == null ? null : pending.stream().map(Pending::version).toList())
                    .put("applied", applied == null ? null : applied.stream().map(Applied::version).toList())
                    .put("backup", backup == null ? null : backup.file())
                    .put("dry_run_success", dryRunResult == null ? null : dryRunResult.success())
                    .put("trace_reused", trace == null ? null : trace.reused())
                    .put("drift", drift == null ? null : drift.state().id())
                    .put("drift_recorded", drift == null || drift.recorded() == null ? null : drift.recorded().toString())
                    .put("failure", failure == null ? null
                            : failure.file() + ":" + failure.line() + " " + failure.sqlstate());
            return FindingsSummary.of(s, null, allFindings).build();
        }
    }

    /**
     * The whole run in numbers, whatever the answer shows of its lists.
     *
     * @param lockedExisting relations that existed before the run and that it locked: the locks that block others
     * @param rowsAtRisk     rows and values the run drops, deletes or changes in tables that existed before
     */
    public record Summary(int migrations, int statements, Boolean success, Integer statementsExecuted, int created,
                          int dropped, int altered, int rewritten, int lockedExisting, long rowsAtRisk, int atRisk,
                          int notDryRunnable, int findings) {}

    /** One line per pending migration: what it holds and, after a dry run, what it did. */
    public record Pending(String version, String path, int checksum, int statementCount, Integer lockedExisting,
                          Integer rewrites, Long rowsAtRisk, java.util.Map<String, Integer> findings) {

        Pending traced(ApplyAnswer.Line line) {
            return line == null ? new Pending(version, path, checksum, statementCount, 0, 0, 0L, java.util.Map.of())
                    : new Pending(version, path, checksum, statementCount, line.locksOnExisting(), line.rewrites(),
                    line.rowsAtRisk(), line.findings());
        }
    }

    /** The dry run as the answer shows it: each list present when shown, absent when behind a call. */
    public record DryRunView(boolean success, int statementsExecuted, DryRunResult.Failure failure,
                             List<DryRunResult.TracedStatement> statements, List<DryRunResult.Skipped> notDryRunnable,
                             SchemaDiff schemaDiff, List<DryRunResult.DataAtRisk> dataAtRisk) {}

    public record Applied(String version, String description, long executionMs) {}

    /** The risks a refusal's message names; all of them are in at_risk. */
    private static final int NAMED_RISKS = 5;
    /** What the backup before an apply may take of the answer: its table counts are in status's pages. */
    private static final int BACKUP_CHARS = 2_000;
    private static final String FINDINGS_CALL = NextCall.of("apply_to_dev", "dry_run", true, "list", "findings");

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
        try {
            // before connecting: with settings no person approved, even the dry run's target is the agent's choice
            project.approval().requireForWrite("apply_to_dev");
            try (ProvenConnection db = ProvenConnection.open(project).requireDev()) {
                return apply(in, db, context);
            }
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }

    private ToolResult apply(Input in, ProvenConnection db, CallContext context) throws ToolException {
        boolean dryRun = Boolean.TRUE.equals(in.dryRun());
        ApplyAnswer.View view = view(in, dryRun, db);
        MigrationVersion target = target(in.targetVersion(), db);
        // read once: the analysis, the dry run, the confirmation and Flyway all work from this snapshot
        MigrationSnapshot snapshot = MigrationSet.snapshot(project, db);
        refuseStrays(snapshot, db);
        MigrationSet set = MigrationSet.of(project, db, snapshot, flywayInfo(snapshot, db), analyses);
        List<MigrationSet.Loaded> pending = set.pending().stream()
                .filter(p -> target == null || p.migration().version().compareTo(target) <= 0).toList();
        List<Pending> summary = pending.stream().map(p -> new Pending(p.version(), project.relative(p.file().path()),
                p.file().checksum(), p.analysis().statements().size(), null, null, null, null)).toList();
        DriftWatch.Check drift = driftCheck(db);
        if (pending.isEmpty()) {
            return nothingPending(dryRun, in, view, db, context, drift);
        }
        if (view.version() != null && summary.stream().noneMatch(p -> p.version().equals(view.version()))) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_NOT_FOUND, "version " + view.version()
                    + " is not among the " + summary.size() + " pending migration(s)",
                    "Pass a version from the answer's pending list, or call status."), db.identity, null);
        }
        refuseBlocked(pending, db);

        // the schema changed outside safemigrate is asked about first: every migration runs on it
        PendingTrace.Traced trace = PendingTrace.run(project, db, pending, traces).withRisksFirst(drift.drift().atRisk());
        DryRunResult r = trace.result();
        Drift.Fitted driftShown = drift.drift().fit(Drift.CHARS, null);
        java.util.Map<String, ApplyAnswer.Line> lines = ApplyAnswer.lines(r, trace.findings());
        List<Pending> traced = summary.stream().map(p -> p.traced(lines.get(p.version()))).toList();
        if (dryRun) {
            String next = r.success() ? nextAfterDryRun(in, trace)
                    : "fix " + r.failure().file() + " line " + r.failure().line() + " and write it again: "
                    + NextCall.of("create_migration", "name", "…", "sql", "…", "replaces", r.failure().version());
            ApplyAnswer.Facts facts = new ApplyAnswer.Facts(db.identity, true, traced, r, trace.origin(), List.of(), null,
                    trace.findings(), trace.atRisk(), next, null, driftShown);
            Output out = ApplyAnswer.answer(facts, view);
            return ToolResult.ok(out, DryRunText.describe(out, trace.atRisk()) + "\n" + describe(trace.origin()));
        }
        if (!r.success()) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "the dry run failed at " + r.failure().file()
                    + " line " + r.failure().line() + ": [" + r.failure().sqlstate() + "] " + r.failure().message(),
                    "Nothing was applied. Fix the migration with create_migration (replaces: " + r.failure().version()
                            + "), check it with apply_to_dev dry_run: true, then apply."), db.identity, trace.findings())
                    .withFindingsAt(FINDINGS_CALL, null);
        }

        ConfirmationToken.Subject subject = subject(pending, trace.atRisk());
        ApplyDecision decision = decide(in, subject, trace.needsPerson(), context,
                () -> DryRunText.approvalQuestion(db.identity, trace, drift.drift()));
        if (decision instanceof ApplyDecision.Allow allow) {
            return migrate(in, db, context, snapshot, traced, trace, allow.backupFirst(), drift);
        }
        if (decision instanceof ApplyDecision.NeedsConfirmation needs) {
            throw confirmationRequired(needs, subject, db, trace.atRisk(), trace.findings(), trace.result().dataAtRisk(),
                    trace.origin(), drift.drift().changed() ? driftShown : null);
        }
        ApplyDecision.Refuse refuse = (ApplyDecision.Refuse) decision;
        throw new ToolException(new ToolError(refuse.code(), refuse.message(), refuse.hint()), db.identity, trace.findings())
                .withFindingsAt(FINDINGS_CALL, null);
    }

    private ToolResult migrate(Input in, ProvenConnection db, CallContext context, MigrationSnapshot snapshot,
                               List<Pending> traced, PendingTrace.Traced trace, boolean backupFirst,
                               DriftWatch.Check drift) throws ToolException {
        BackupTool.Backup backup = null;
        if (backupFirst) {
            try {
                backup = BackupTool.describe(project, SnapshotBackup.take(project, db, "before_apply"));
            } catch (BackupException e) {
                throw new ToolException(new ToolError(ToolError.BACKUP_FAILED, "the backup before applying failed, so "
                        + "nothing was applied: " + e.getMessage(), e.hint()), db.identity, trace.findings())
                        .withFindingsAt(FINDINGS_CALL, null);
            }
        }
        refuseChangedSince(snapshot, db, trace);
        refuseDriftedSince(drift, db, trace.findings());
        // whatever happens next, the database is no longer what the trace saw
        traces.forget();
        int total = traced.size();
        int[] done = {0};
        java.time.Instant[] recorded = {null};
        try {
            List<AppliedMigration> applied;
            try {
                applied = project.history(db.settings).migrate(snapshot, in.targetVersion(),
                        (version, description) -> context.progress(++done[0], total, "applied " + version + " " + description));
            } finally {
                // what Flyway committed, a failed run's earlier migrations included, is safemigrate's doing: not drift
                recorded[0] = project.drift().record(db, project.clock().instant());
            }
            List<Applied> out = applied.stream().map(a -> new Applied(a.version(), a.description(), a.executionMs())).toList();
            String text = "Applied " + out.size() + " migration(s) to " + db.identity.name() + ": "
                    + DryRunText.versions(out.stream().map(Applied::version).toList()) + ". Schema: "
                    + trace.result().schemaDiff().summary() + "."
                    + (backup == null ? "" : " Backup first: " + backup.path() + ".") + " " + describe(trace.origin());
            // the backup taken first is a part of the answer: its table counts page through status
            BackupTool.Fitted fitted = backup == null ? null : BackupTool.fit(backup, BACKUP_CHARS);
            ApplyAnswer.Facts facts = new ApplyAnswer.Facts(db.identity, false, traced, trace.result(), trace.origin(),
                    out, fitted == null ? null : fitted.backup(), trace.findings(), trace.atRisk(), NextCall.of("status"),
                    fitted == null ? null : fitted.truncated(), drift.drift().fit(Drift.CHARS, recorded[0]));
            return ToolResult.ok(ApplyAnswer.answer(facts, ApplyAnswer.View.whole()), text);
        } catch (FlywayException e) {
            throw new ToolException(new ToolError(ToolError.MIGRATION_FAILED, "Flyway failed: " + causes(e),
                    "PostgreSQL rolled the failing migration back. Fix it with create_migration (replaces: its version), "
                            + "check it with apply_to_dev dry_run: true, then apply again."
                            + (backup == null ? "" : " A backup was taken first: " + backup.path())),
                    db.identity, trace.findings()).withFindingsAt(FINDINGS_CALL, null);
        }
    }

    /** @param drift the schema changed outside safemigrate, shown; null when it did not */
    private ToolException confirmationRequired(ApplyDecision.NeedsConfirmation needs, ConfirmationToken.Subject subject,
                                               ProvenConnection db, List<AtRisk> atRisk, List<MigrationFinding> findings,
                                               List<DryRunResult.DataAtRisk> dataAtRisk, TraceOrigin origin,
                                               Drift.Fitted drift) {
        String token = ConfirmationToken.issue(project.confirmationKey(), subject, project.clock().instant());
        String expires = project.clock().instant().plus(ConfirmationToken.VALIDITY).toString();
        return new ToolException(new ToolError(ToolError.CONFIRMATION_REQUIRED,
                needs.reason() + "; nothing was applied. " + atRisk.size() + " risk(s) in " + db.identity.name() + ": "
                        + atRisk.stream().limit(NAMED_RISKS).map(AtRisk::what).collect(Collectors.joining("; "))
                        + (atRisk.size() > NAMED_RISKS ? "; and " + (atRisk.size() - NAMED_RISKS) + " more (at_risk)" : ""),
                "Show your user at_risk and the findings, and ask for an explicit yes. Only if they agree, call "
                        + "apply_to_dev with confirm set to confirmation_token (valid until " + expires
                        + "; it covers exactly these migrations and this schema as they are now)."),
                db.identity, findings, new ToolException.Confirmation(token, expires, dataAtRisk, atRisk, origin, drift))
                .withFindingsAt(NextCall.of("apply_to_dev", "dry_run", true, "list", "findings"),
                        NextCall.of("apply_to_dev", "dry_run", true, "list", "at_risk"));
    }

    /**
     * The confirmation gate: a valid token, a person's answer through the client, or a refusal, as
     * the policy says; nothing to ask about, and it allows.
     */
    private ApplyDecision decide(Input in, ConfirmationToken.Subject subject, boolean needsPerson, CallContext context,
                                 java.util.function.Supplier<String> question) {
        ConfirmationToken.Check check = ConfirmationToken.check(project.confirmationKey(), in.confirm(), subject,
                project.clock().instant());
        ApplyDecision decision = ApplyGate.decide(project.config().policy().destructive(),
                project.config().policy().backupBeforeApply(), needsPerson, check, context.canAskPerson());
        if (decision instanceof ApplyDecision.AskPerson) {
            boolean approved = context.askPersonToApprove(question.get());
            decision = ApplyGate.afterAsking(approved, project.config().policy().backupBeforeApply());
        }
        return decision;
    }

    private DriftWatch.Check driftCheck(ProvenConnection db) throws ToolException {
        try {
            return project.drift().check(db);
        } catch (java.sql.SQLException e) {
            throw new ToolException(new ToolError(ToolError.DATABASE_UNREACHABLE, "could not compare the schema with the "
                    + "record of it after the last apply: " + e.getMessage(), "Call status, then try again."),
                    db.identity, null);
        }
    }

    /**
     * Nothing pending: a dry run reports the drift; an apply on a schema changed outside
     * safemigrate asks a person, as any apply would, and then records the schema as it is as the
     * baseline from now on; without a record yet, it writes the first one. A schema as recorded
     * asks nothing and writes nothing.
     */
    private ToolResult nothingPending(boolean dryRun, Input in, ApplyAnswer.View view, ProvenConnection db,
                                      CallContext context, DriftWatch.Check drift) throws ToolException {
        Drift d = drift.drift();
        List<AtRisk> atRisk = d.atRisk();
        boolean first = d.state() == Drift.State.NO_BASELINE;
        if (dryRun || (!d.changed() && !first)) {
            String next = !d.changed() ? "nothing to apply: write a migration with create_migration, or call status"
                    : "nothing to apply, but the schema changed outside safemigrate: show drift to your user; "
                    + NextCall.of("apply_to_dev") + " then asks them to accept the schema as it is now as the baseline";
            ApplyAnswer.Facts none = new ApplyAnswer.Facts(db.identity, dryRun, List.of(), null, null, List.of(), null,
                    List.of(), atRisk, next, null, d.fit(Drift.CHARS, null));
            return ToolResult.ok(ApplyAnswer.answer(none, view), "Nothing pending: the development database is up to date."
                    + (d.changed() ? " " + atRisk.get(0).what() : ""));
        }
        if (d.changed()) {
            ConfirmationToken.Subject subject = new ConfirmationToken.Subject(List.of(),
                    atRisk.stream().map(AtRisk::id).toList());
            ApplyDecision decision = decide(in, subject, true, context, () -> DryRunText.approvalQuestion(db.identity,
                    atRisk, d, "accept as safemigrate's baseline the schema of", "Accept the schema as it is now?"));
            if (decision instanceof ApplyDecision.NeedsConfirmation needs) {
                throw confirmationRequired(needs, subject, db, atRisk, List.of(), List.of(), null, d.fit(Drift.CHARS, null));
            }
            if (decision instanceof ApplyDecision.Refuse refuse) {
                throw new ToolException(new ToolError(refuse.code(), refuse.message(), refuse.hint()), db.identity, null);
            }
            refuseDriftedSince(drift, db, null);
        }
        java.time.Instant recorded = project.drift().record(db, project.clock().instant());
        String next = "nothing to apply; the schema as it is now is the baseline drift is measured from. To change it: "
                + NextCall.of("create_migration", "name", "<slug>", "sql", "<SQL>");
        ApplyAnswer.Facts none = new ApplyAnswer.Facts(db.identity, false, List.of(), null, null, List.of(), null,
                List.of(), atRisk, next, null, d.fit(Drift.CHARS, recorded));
        return ToolResult.ok(ApplyAnswer.answer(none, view), "Nothing pending. "
                + (recorded == null ? "The schema could not be recorded (see the server's stderr)."
                : "Recorded the schema of " + db.identity.name() + " as the baseline for drift."));
    }

    /**
     * What the person approved (or was not asked about) is the schema the migrations run on: a
     * change outside safemigrate while this call checked it is refused, not recorded as approved.
     */
    private void refuseDriftedSince(DriftWatch.Check drift, ProvenConnection db, List<MigrationFinding> findings)
            throws ToolException {
        boolean unchanged;
        try {
            unchanged = project.drift().unchangedSince(db, drift);
        } catch (java.sql.SQLException e) {
            unchanged = false;
        }
        if (!unchanged) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, "the schema changed outside safemigrate "
                    + "while apply_to_dev was checking it; nothing was applied",
                    "Call apply_to_dev with dry_run: true again to see the schema as it is now."), db.identity, findings)
                    .withFindingsAt(FINDINGS_CALL, null);
        }
    }

    /** Paging and narrowing are for reading a dry run: a call that pages never applies anything. */
    private static ApplyAnswer.View view(Input in, boolean dryRun, ProvenConnection db) throws ToolException {
        boolean reading = in.list() != null || in.version() != null || in.severity() != null || in.offset() != null
                || in.limit() != null;
        if (reading && !dryRun) {
            throw new ToolException(new ToolError(ToolError.INVALID_INPUT, "list, version, severity, offset and limit "
                    + "page a dry run's answer; without dry_run: true this call would apply the migrations",
                    "Add \"dry_run\": true to read the dry run's lists; nothing was applied."), db.identity, null);
        }
        ApplyAnswer.Section list = in.list() == null ? null : ApplyAnswer.Section.of(in.list());
        if (in.list() != null && list == null) {
            throw new ToolException(new ToolError(ToolError.INVALID_INPUT, "unknown list '" + in.list() + "'",
                    "Use one of the lists named in the input schema, e.g. \"findings\"."), db.identity, null);
        }
        Severity severity = null;
        if (in.severity() != null) {
            severity = java.util.Arrays.stream(Severity.values()).filter(x -> x.id().equals(in.severity())).findFirst()
                    .orElseThrow(() -> new ToolException(new ToolError(ToolError.INVALID_INPUT, "unknown severity '"
                            + in.severity() + "'", "Use block, confirm, warn or info."), db.identity, null));
        }
        int defaultLimit = list == null ? ApplyAnswer.PENDING_PAGE : ApplyAnswer.LIST_PAGE;
        return new ApplyAnswer.View(list, in.version(), severity, Page.of(in.offset(), in.limit(), defaultLimit));
    }

    private static String nextAfterDryRun(Input in, PendingTrace.Traced trace) {
        String apply = NextCall.of("apply_to_dev", "target_version", in.targetVersion());
        return trace.atRisk().isEmpty() ? apply + " applies them; nothing here is at risk"
                : "show at_risk and the findings to your user; " + apply + " then asks for their confirmation";
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
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED, Adoption.message(schema, where.table()),
                    Adoption.hint(where.table())), db.identity, null);
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
                    db.identity, trace.findings()).withFindingsAt(FINDINGS_CALL, null);
        }
    }

    /** @return why Flyway would refuse to migrate; a Flyway failure is one such reason */
    private List<ValidationProblem> validate(MigrationSnapshot snapshot, ProvenConnection db) {
        try {
            return project.history(db.settings).validate(snapshot);
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
