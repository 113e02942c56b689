package dev.safemigrate.tools;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.backup.BackupException;
import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.db.DatabaseIdentity;

/**
 * backup: a complete pg_dump of the development database, with exact row counts per table. The
 * counts of a database with thousands of tables do not fit a result: the result shows those that
 * fit, in the manifest's order, and {@code status {"list":"backup_tables"}} pages the rest.
 */
public final class BackupTool {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,40}");
    /** Retention removes one old dump per backup, more only after {@code keep} was lowered. */
    static final int REMOVED = 20;
    private static final String TABLES = "backup.tables";
    /** No tool shows a dump retention deleted; the audit log names each one, for a person. */
    private static final String REMOVED_HOW = "safemigrate log --tool backup --json";

    public record Input(String label) {}

    /**
     * @param removed        the first {@value #REMOVED} dumps retention removed
     * @param removedInFull  every one of them, for the audit log only: the record of what was deleted
     */
    public record Output(Backup backup, Truncated truncated, List<String> removed, DatabaseIdentity database,
                         @JsonIgnore List<String> removedInFull) implements Audited {
        /** Which dump was written and what it holds, so the log says what a later restore would bring back. */
        @Override
        public Map<String, Object> auditSummary() {
            int tables = truncated != null && truncated.of().equals(TABLES) ? truncated.total() : backup.tables().size();
            return new AuditSummary().put("file", backup.file()).put("bytes", backup.bytes()).put("sha256", backup.sha256())
                    .put("tables", tables).put("total_rows", backup.totalRows()).put("removed", removedInFull)
                    .build();
        }
    }

    /** @param tables in the manifest's order: by schema, then name */
    public record Backup(String file, String path, String label, String createdAt, long bytes, String sha256,
                         long durationMs, String pgDumpVersion, long totalRows, List<BackupManifest.TableRows> tables) {}

    /**
     * A backup fitted to part of another result, and what was cut.
     *
     * @param truncated null when every table is shown
     */
    public record Fitted(Backup backup, Truncated truncated) {}

    private final Project project;

    static Backup describe(Project project, SnapshotBackup.Taken taken) {
        BackupManifest m = taken.manifest();
        return new Backup(m.file(), project.relative(taken.file()), m.label(), m.createdAt(), m.bytes(),
                m.sha256(), m.durationMs(), m.pgDumpVersion(), m.totalRows(), m.tables());
    }

    /**
     * The backup with as many of its tables as fit in {@code chars} characters of JSON (at least
     * none), for a result that embeds it (apply_to_dev's backup before applying); the cut names
     * the call that pages the rest from the backup's manifest.
     */
    static Fitted fit(Backup backup, int chars) {
        Backup shown = Budget.largestWithin(backup.tables().size(), chars, n -> withTables(backup, n));
        return new Fitted(shown, tablesCut(backup, shown.tables().size()).result());
    }

    public BackupTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in) {
        if (in.label() != null && !LABEL.matcher(in.label()).matches()) {
            return new ToolException(ToolError.INVALID_NAME, "the label '" + in.label() + "' must match [a-z0-9_-]{1,40}",
                    "Use a short slug such as before_drop_users, or omit the label.").toResult();
        }
        project.writeLock().lock();
        try {
            // backup.pg_dump names the program run and backup.dir where it writes: a person approves both
            project.approval().requireForWrite("backup");
            return backup(in);
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }

    private ToolResult backup(Input in) throws ToolException {
        try (ProvenConnection db = ProvenConnection.open(project).requireDev()) {
            SnapshotBackup.Taken taken;
            try {
                taken = SnapshotBackup.take(project, db, in.label());
            } catch (BackupException e) {
                throw new ToolException(new ToolError(ToolError.BACKUP_FAILED, e.getMessage(), e.hint()), db.identity, null);
            }
            Output out = output(db.identity, describe(project, taken), taken.removed());
            return ToolResult.ok(out, text(db.identity, out.backup(), taken));
        }
    }

    /** The result within {@link Budget#RESULT}: every field of the backup, and as many tables as fit. */
    static Output output(DatabaseIdentity database, Backup backup, List<String> removed) {
        List<String> shownRemoved = removed.subList(0, Math.min(REMOVED, removed.size()));
        return Budget.largest(backup.tables().size(), Budget.RESULT, n -> new Output(withTables(backup, n),
                tablesCut(backup, n).add("removed", shownRemoved.size(), removed.size(), REMOVED_HOW).result(),
                shownRemoved, database, removed));
    }

    private static Backup withTables(Backup b, int n) {
        return new Backup(b.file(), b.path(), b.label(), b.createdAt(), b.bytes(), b.sha256(), b.durationMs(),
                b.pgDumpVersion(), b.totalRows(), b.tables().subList(0, Math.min(n, b.tables().size())));
    }

    private static Truncated.Cuts tablesCut(Backup backup, int shown) {
        return new Truncated.Cuts().add(TABLES, shown, backup.tables().size(), StatusView.nextPage(
                StatusTool.ListName.BACKUP_TABLES, backup.file(), shown, null));
    }

    private static String text(DatabaseIdentity d, Backup b, SnapshotBackup.Taken taken) {
        BackupManifest m = taken.manifest();
        List<String> removed = taken.removed();
        return "Backed up " + Budget.clip(d.name(), 60) + " to " + b.path() + " (" + m.bytes() + " bytes, "
                + m.tables().size() + " tables, " + m.totalRows() + " rows, sha256 " + m.sha256() + ")."
                + (removed.isEmpty() ? "" : " Removed " + removed.size() + " old backup(s): "
                + Budget.clip(String.join(", ", removed), 200) + ".");
    }
}
