package dev.safemigrate.tools;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.backup.BackupException;
import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.db.DatabaseIdentity;

/** backup: a complete pg_dump of the development database, with exact row counts per table. */
public final class BackupTool {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,40}");

    public record Input(String label) {}

    public record Output(DatabaseIdentity database, Backup backup, List<String> removed) implements Audited {
        /** Which dump was written and what it holds, so the log says what a later restore would bring back. */
        @Override
        public Map<String, Object> auditSummary() {
            return new AuditSummary().put("file", backup.file()).put("bytes", backup.bytes()).put("sha256", backup.sha256())
                    .put("tables", backup.tables().size()).put("total_rows", backup.totalRows()).put("removed", removed)
                    .build();
        }
    }

    public record Backup(String file, String path, String label, String createdAt, long bytes, String sha256,
                         long durationMs, String pgDumpVersion, long totalRows, List<BackupManifest.TableRows> tables) {}

    private final Project project;

    static Backup describe(Project project, SnapshotBackup.Taken taken) {
        BackupManifest m = taken.manifest();
        return new Backup(m.file(), project.relative(taken.file()), m.label(), m.createdAt(), m.bytes(),
                m.sha256(), m.durationMs(), m.pgDumpVersion(), m.totalRows(), m.tables());
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
        try (ProvenConnection db = ProvenConnection.open(project).requireDev()) {
            SnapshotBackup.Taken taken;
            try {
                taken = SnapshotBackup.take(project, db, in.label());
            } catch (BackupException e) {
                throw new ToolException(new ToolError(ToolError.BACKUP_FAILED, e.getMessage(), e.hint()), db.identity, null);
            }
            BackupManifest m = taken.manifest();
            Output out = new Output(db.identity, describe(project, taken), taken.removed());
            return ToolResult.ok(out, "Backed up " + db.identity.name() + " to " + out.backup().path() + " (" + m.bytes()
                    + " bytes, " + m.tables().size() + " tables, " + m.totalRows() + " rows, sha256 " + m.sha256() + ")."
                    + (taken.removed().isEmpty() ? "" : " Removed old backups: " + String.join(", ", taken.removed())));
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }
}
