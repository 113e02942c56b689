package dev.safemigrate.tools;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.HistoryDigest;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.migrations.MigrationHistory;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.MigrationState;
import dev.safemigrate.migrations.ValidationProblem;
import dev.safemigrate.policy.ConfigTrust;

/**
 * status: where the agent is, proven, and what state the migrations are in. Answers on any
 * database, dev or not: seeing why a database is refused is exactly what status is for.
 * Without {@code list} it answers with an overview that fits the agent's budget whatever the size
 * of the history ({@link StatusView}); with {@code list} it pages one list, so every fact stays in reach.
 */
public final class StatusTool {

    /**
     * @param list   which list to page; none for the overview
     * @param backup with {@code backup_tables}: the backup's file, as in {@code last_backup.file}; default the newest
     */
    public record Input(ListName list, Integer offset, Integer limit, String backup) {
        public Input() {
            this(null, null, null, null);
        }
    }

    /** The lists behind the overview, each paged in an order that does not change between calls. */
    public enum ListName {
        /** Every migration, in version order. */
        MIGRATIONS,
        /** Flyway's validation problems and what else keeps apply_to_dev from running. */
        PROBLEMS,
        /** In search_path first, then most tables first, then by name. */
        SCHEMAS,
        /** One backup's tables with their row counts, in its manifest's order. */
        BACKUP_TABLES,
        /** Objects changed outside safemigrate since its last apply: created, then dropped, then altered, by name. */
        DRIFT;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The overview. Key order is reading order: what to do next and the counts first, then what was
     * left out, then the rest.
     *
     * @param next       the next call to make, or what a person must do first
     * @param drift      whether the schema changed outside safemigrate since its last apply, and what
     * @param migrations every migration not applied, and the last {@value StatusView#LAST_APPLIED} applied
     */
    public record Output(String next, Summary summary, Truncated truncated, Trust trust, Drift.View drift,
                         DatabaseIdentity database,
                         String migrationsDir, List<Migration> migrations, Validation validation,
                         List<SchemaCatalog.SchemaSummary> schemas, LastBackup lastBackup, PolicySummary policy)
            implements Audited {
        /** How many migrations are in each state, whether Flyway's validation passed, and the last backup's file. */
        @Override
        public Map<String, Object> auditSummary() {
            return new AuditSummary().put("applied", summary.applied())
                    .put("pending", summary.pending()).put("failed", summary.failed())
                    .put("valid", validation == null ? null : validation.valid())
                    .put("drift", drift == null ? null : drift.state().id())
                    .put("drifted", drift == null || drift.counts() == null ? null
                            : drift.counts().created() + drift.counts().dropped() + drift.counts().altered())
                    .put("last_backup", lastBackup == null ? null : lastBackup.file()).build();
        }
    }

    /**
     * One page of a list: the items from {@code offset}, and in {@code truncated} the call for the
     * next page when there are more. Only the list asked for is present.
     *
     * @param database absent for {@code backup_tables}, which reads the backup's manifest, not the database
     */
    public record ListPage(ListName list, int offset, int total, Truncated truncated, String backup,
                           DatabaseIdentity database, List<Migration> migrations, List<String> problems,
                           List<SchemaCatalog.SchemaSummary> schemas, List<BackupManifest.TableRows> backupTables,
                           List<String> drift)
            implements Audited {
        @Override
        public Map<String, Object> auditSummary() {
            return new AuditSummary().put("list", list.id()).put("offset", offset)
                    .put("shown", shown()).put("total", total).put("backup", backup).build();
        }

        int shown() {
            List<?> items = migrations != null ? migrations : problems != null ? problems
                    : schemas != null ? schemas : backupTables != null ? backupTables : drift;
            return items == null ? 0 : items.size();
        }
    }

    public record Summary(int applied, int pending, int failed, int other) {}

    /**
     * Whether a person approved the policy settings the server runs with: apply_to_dev and backup
     * refuse ({@code CONFIG_NOT_TRUSTED}) unless the state is {@code trusted} or {@code not_needed}.
     *
     * @param state      trusted | not_needed (the built-in defaults) | never_trusted | changed
     * @param changed    the settings whose values are not the approved ones (never_trusted: not the built-in defaults)
     * @param note       what else a person should know, e.g. that the file was edited after the server started
     * @param approvedAt when the approval on record was given
     * @param approvedBy who gave it (the operating-system user)
     * @param command    what a person runs at a terminal to approve the settings, when writes wait for it
     */
    public record Trust(String state, List<String> changed, String note, String approvedAt, String approvedBy,
                        String command) {

        static Trust of(ConfigTrust trust, ConfigApproval approval) {
            TrustRecord record = trust instanceof ConfigTrust.Trusted t ? t.approval()
                    : trust instanceof ConfigTrust.Changed c ? c.approval() : null;
            List<String> changed = trust.changedSettings();
            return new Trust(trust.state(), changed.isEmpty() ? null : changed, Budget.clip(trust.note(), 300),
                    record == null ? null : record.approvedAt().toString(),
                    record == null ? null : Budget.clip(record.approvedBy(), 60),
                    trust.allowsWrites() ? null : approval.command());
        }

        boolean allowsWrites() {
            return command == null;
        }
    }

    public record Migration(String version, String description, String type, MigrationState state, Integer checksum,
                            Instant installedOn, Integer executionMs) {}

    public record Validation(boolean valid, List<String> problems) {}

    /** @param tables how many tables the backup holds: {@code status {"list":"backup_tables"}} pages them */
    public record LastBackup(String file, String createdAt, long bytes, String sha256, long totalRows, int tables) {}

    /** Everything status found out, before it is fitted to a result. */
    record Facts(Trust trust, DatabaseIdentity database, String migrationsDir, List<Migration> migrations,
                 List<String> problems, List<SchemaCatalog.SchemaSummary> schemas, LastBackup lastBackup,
                 PolicySummary policy, Drift drift) {}

    /** What Flyway said (info, validation) about the folder and the history, in status's words. */
    private record FlywayView(List<Migration> migrations, List<String> problems) {}

    /**
     * The history's digest and the schemas as last read, and at which moment: reused while the
     * proof shows the same {@link ProvenConnection#visibilityAtProof() visibility} (no transaction
     * completed anywhere in the cluster since, no restart), since every row they were read from is
     * then the same.
     */
    private record CatalogView(CatalogKey key, HistoryDigest.WithSchemas read) {}

    private record CatalogKey(dev.safemigrate.db.ConnectionSettings settings, String database, SchemaHistory where,
                              List<String> searchPathSchemas, String visibility) {}

    private final Project project;
    private volatile CatalogView lastCatalog;

    public StatusTool(Project project) {
        this.project = project;
    }

    /**
     * On the connection kept from the last status call when it is still fit ({@link ProvenConnection#openKept}):
     * the identity proof and where Flyway's history is take one round trip; the history's digest,
     * the schemas and the catalog's stamp a second, only when a transaction completed in the cluster
     * since they were last read; the objects a third, only when the stamp is not the one recorded after
     * the last apply ({@link DriftWatch}); Flyway itself is asked only when the files or the history changed.
     */
    public ToolResult call(Input input) {
        try {
            Page page = page(input);
            if (input.list() == ListName.BACKUP_TABLES) {
                return backupTables(input.backup(), page);
            }
            Facts facts = facts();
            if (input.list() == null) {
                Output out = StatusView.overview(facts);
                return ToolResult.ok(out, StatusView.text(out));
            }
            ListPage listed = StatusView.page(facts, input.list(), page);
            return ToolResult.ok(listed, StatusView.text(listed));
        } catch (ToolException e) {
            return e.toResult();
        } catch (SQLException | IOException e) {
            return new ToolException(ToolError.DATABASE_UNREACHABLE, "status could not read the database: " + e.getMessage(),
                    "Check that the database is running, then call status again.").toResult();
        }
    }

    /** @return the page asked for; null for the overview, which takes no paging arguments */
    private static Page page(Input input) throws ToolException {
        if (input.list() == null) {
            if (input.offset() != null || input.limit() != null || input.backup() != null) {
                throw new ToolException(ToolError.INVALID_INPUT, "offset, limit and backup page a list, and no list was given",
                        "Add list (migrations, problems, schemas or backup_tables), or call status {} for the overview.");
            }
            return null;
        }
        if (input.backup() != null && input.list() != ListName.BACKUP_TABLES) {
            throw new ToolException(ToolError.INVALID_INPUT, "backup names the backup whose tables list backup_tables pages",
                    "Call " + NextCall.of("status", "list", ListName.BACKUP_TABLES.id(), "backup", input.backup())
                            + ", or leave backup out.");
        }
        return Page.of(input.offset(), input.limit(), StatusView.PAGE);
    }

    private Facts facts() throws ToolException, SQLException, IOException {
        try (ProvenConnection db = ProvenConnection.openKept(project)) {
            MigrationSnapshot snapshot = MigrationSet.snapshot(project, db);
            List<Migration> migrations = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (MigrationSnapshot.Stray stray : snapshot.strays()) {
                problems.add(project.relative(stray.path()) + ": " + stray.why()
                        + "; apply_to_dev refuses to run while it is in the folder (a person must remove it)");
            }
            SchemaHistory history = db.historyAtProof();
            HistoryDigest.WithSchemas read = historyAndSchemas(db, history);
            try {
                FlywayView view = flywayView(db, snapshot, read.digest());
                migrations.addAll(view.migrations());
                problems.addAll(view.problems());
                String unadopted = history.missingOnNonEmptySchema();
                if (unadopted != null) {
                    problems.add(Adoption.message(unadopted, history.table()) + ". "
                            + Adoption.hint(history.table()).replace("Nothing was applied. ", "")
                            + (history.table().equals(SchemaHistory.FLYWAY)
                            ? Adoption.otherTools(dev.safemigrate.db.OtherMigrationTools.find(db.connection)) : ""));
                }
            } catch (FlywayException e) {
                problems.add("Flyway could not read the migrations: " + e.getMessage());
            }
            Facts facts = new Facts(Trust.of(project.approval().check(), project.approval()), db.identity,
                    project.relative(project.migrations().dir()), migrations, problems,
                    read.schemas(), lastBackup(), PolicySummary.of(project.config()), project.drift().see(db, read.catalog()));
            db.keepForNextCall();
            return facts;
        }
    }

    /** A backup's tables as its manifest lists them: no database is needed, only the backup folder. */
    private ToolResult backupTables(String file, Page page) throws ToolException, IOException {
        java.util.Optional<BackupManifest> manifest = file == null ? project.backups().newest()
                : project.backups().manifest(file);
        if (manifest.isEmpty()) {
            LastBackup newest = lastBackup();
            throw new ToolException(ToolError.INVALID_INPUT, file == null ? "there is no backup yet"
                    : "there is no backup '" + Budget.clip(file, 120) + "' in " + project.relative(project.backups().dir()),
                    newest == null ? "Take one with " + NextCall.of("backup") + "."
                            : "Use a file as status shows it in last_backup.file, e.g. " + newest.file()
                            + ", or leave backup out for the newest.");
        }
        ListPage listed = StatusView.backupTables(manifest.get(), page);
        return ToolResult.ok(listed, StatusView.text(listed));
    }

    /**
     * The history's digest and the schemas: read again unless the proof showed the cluster exactly
     * as when they were last read. Remembered under the visibility read before them, so a commit
     * between the proof and this read only means reading again next time.
     */
    private HistoryDigest.WithSchemas historyAndSchemas(ProvenConnection db, SchemaHistory history) throws SQLException {
        String visibility = db.visibilityAtProof();
        CatalogKey key = new CatalogKey(db.settings, db.observed.database(), history, db.observed.searchPathSchemas(),
                visibility);
        CatalogView remembered = lastCatalog;
        if (visibility != null && remembered != null && remembered.key().equals(key)) {
            return remembered.read();
        }
        HistoryDigest.WithSchemas read = HistoryDigest.readWithSchemas(db.connection, history, db.observed.searchPathSchemas());
        if (visibility != null) {
            lastCatalog = new CatalogView(key, read);
        }
        return read;
    }

    /**
     * Flyway's info and validation for this snapshot and history: asked again only when the files'
     * hashes or the history's digest differ from what Flyway was last asked about, by status or by
     * apply_to_dev ({@link FlywayAnswers}).
     */
    private FlywayView flywayView(ProvenConnection db, MigrationSnapshot snapshot, HistoryDigest digest)
            throws SQLException, ToolException {
        FlywayAnswers.Answer answer = project.flywayAnswers().answer(FlywayAnswers.Key.of(db.settings, digest, snapshot),
                snapshot, () -> {
                    MigrationHistory flyway = project.history(db.settings);
                    return new FlywayAnswers.Answer(flyway.info(snapshot), flyway.validate(snapshot));
                }, () -> HistoryDigest.read(db.connection, db.schemaHistory()));
        List<Migration> migrations = new ArrayList<>();
        for (dev.safemigrate.migrations.Migration m : answer.migrations()) {
            migrations.add(new Migration(m.versionText(), m.description(), m.type(), m.state(), m.checksum(),
                    m.installedOn(), m.executionMs()));
        }
        return new FlywayView(migrations, answer.problems().stream().map(ValidationProblem::message).toList());
    }

    private LastBackup lastBackup() throws IOException {
        return project.backups().newest()
                .map(m -> new LastBackup(m.file(), m.createdAt(), m.bytes(), m.sha256(), m.totalRows(), m.tables().size()))
                .orElse(null);
    }
}
