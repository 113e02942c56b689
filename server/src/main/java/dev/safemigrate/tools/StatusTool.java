package dev.safemigrate.tools;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.HistoryDigest;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.migrations.FlywayEngine;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.MigrationState;
import dev.safemigrate.migrations.ValidationProblem;

/**
 * status: where the agent is, proven, and what state the migrations are in. Answers on any
 * database, dev or not: seeing why a database is refused is exactly what status is for.
 */
public final class StatusTool {

    public record Input() {}

    public record Output(DatabaseIdentity database, String migrationsDir, Summary summary, List<Migration> migrations,
                         Validation validation, List<SchemaCatalog.SchemaSummary> schemas, LastBackup lastBackup,
                         PolicySummary policy) implements Audited {
        /** How many migrations are in each state, whether Flyway's validation passed, and the last backup's file. */
        @Override
        public Map<String, Object> auditSummary() {
            return new AuditSummary().put("applied", summary.applied())
                    .put("pending", summary.pending()).put("failed", summary.failed())
                    .put("valid", validation == null ? null : validation.valid())
                    .put("last_backup", lastBackup == null ? null : lastBackup.file()).build();
        }
    }

    public record Summary(int applied, int pending, int failed, int other) {}

    public record Migration(String version, String description, String type, MigrationState state, Integer checksum,
                            Instant installedOn, Integer executionMs) {}

    public record Validation(boolean valid, List<String> problems) {}

    public record LastBackup(String file, String createdAt, long bytes, String sha256, long totalRows) {}

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
     * the identity proof and where Flyway's history is take one round trip; the history's digest and
     * the schemas a second, only when a transaction completed in the cluster since they were last
     * read; Flyway itself is asked only when the files or the history changed.
     */
    public ToolResult call(Input input) {
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
                    problems.add(Adoption.message(unadopted) + ". " + Adoption.HINT.replace("Nothing was applied. ", "")
                            + Adoption.otherTools(dev.safemigrate.db.OtherMigrationTools.find(db.connection)));
                }
            } catch (FlywayException e) {
                problems.add("Flyway could not read the migrations: " + e.getMessage());
            }
            Output out = new Output(db.identity, project.relative(project.migrations().dir()),
                    summarize(migrations), migrations, new Validation(problems.isEmpty(), problems),
                    read.schemas(), lastBackup(), PolicySummary.of(project.config()));
            db.keepForNextCall();
            return ToolResult.ok(out, text(out));
        } catch (ToolException e) {
            return e.toResult();
        } catch (SQLException | IOException e) {
            return new ToolException(ToolError.DATABASE_UNREACHABLE, "status could not read the database: " + e.getMessage(),
                    "Check that the database is running, then call status again.").toResult();
        }
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
                    FlywayEngine flyway = project.flyway(db.settings);
                    return new FlywayAnswers.Answer(flyway.info(snapshot), flyway.validate(snapshot));
                }, () -> HistoryDigest.read(db.connection, db.schemaHistory()));
        List<Migration> migrations = new ArrayList<>();
        for (dev.safemigrate.migrations.Migration m : answer.migrations()) {
            migrations.add(new Migration(m.versionText(), m.description(), m.type(), m.state(), m.checksum(),
                    m.installedOn(), m.executionMs()));
        }
        return new FlywayView(migrations, answer.problems().stream().map(ValidationProblem::message).toList());
    }

    private static Summary summarize(List<Migration> migrations) {
        int applied = 0, pending = 0, failed = 0, other = 0;
        for (Migration m : migrations) {
            switch (m.state()) {
                case APPLIED -> applied++;
                case PENDING -> pending++;
                case FAILED -> failed++;
                default -> other++;
            }
        }
        return new Summary(applied, pending, failed, other);
    }

    private LastBackup lastBackup() throws IOException {
        return project.backups().newest()
                .map(m -> new LastBackup(m.file(), m.createdAt(), m.bytes(), m.sha256(), m.totalRows()))
                .orElse(null);
    }

    private static String text(Output o) {
        DatabaseIdentity d = o.database();
        StringBuilder sb = new StringBuilder();
        sb.append("Database ").append(d.name()).append(" on ").append(d.host()).append(':').append(d.port())
                .append(" as ").append(d.user()).append(" (PostgreSQL ").append(d.serverVersion())
                .append(d.serverAddress() == null ? "" : ", server address " + d.serverAddress()).append(")");
        sb.append(d.verified() ? " — verified development database.\n" : " — NOT writable: " + String.join("; ", d.problems()) + "\n");
        sb.append("Migrations: ").append(o.summary().applied()).append(" applied, ").append(o.summary().pending())
                .append(" pending, ").append(o.summary().failed()).append(" failed.\n");
        if (!o.validation().valid()) {
            sb.append("Validation problems: ").append(String.join("; ", o.validation().problems())).append('\n');
        }
        sb.append("Schemas: ");
        for (SchemaCatalog.SchemaSummary s : o.schemas()) {
            sb.append(s.name()).append(" (").append(s.tables()).append(" tables").append(s.inSearchPath() ? "" : ", not in search_path")
                    .append(") ");
        }
        sb.append("\nsearch_path: ").append(d.searchPath());
        sb.append(o.lastBackup() == null ? "\nNo backup yet." : "\nLast backup: " + o.lastBackup().file() + " at " + o.lastBackup().createdAt());
        return sb.toString();
    }
}
