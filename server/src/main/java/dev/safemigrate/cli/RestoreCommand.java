package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.backup.BackupException;
import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.backup.DumpTarget;
import dev.safemigrate.backup.ManifestFile;
import dev.safemigrate.backup.PgRestore;
import dev.safemigrate.config.Config;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ProvenConnection;
import dev.safemigrate.tools.ToolException;

/**
 * {@code safemigrate restore BACKUP}: a person puts a backup back into the development database
 * and sees, table by table, that the rows are what the backup held. There is deliberately no
 * tool for this: replacing a database's contents is a person's decision.
 */
public final class RestoreCommand implements Command {

    @Override
    public String name() {
        return "restore";
    }

    @Override
    public String summary() {
        return "restore a backup into the development database (a person, at a terminal)";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate restore BACKUP [--config PATH]

                Restores BACKUP (a .dump file written by the backup tool; a path, or a file name in [backup] dir)
                into the development database. It shows the database and the backup's manifest, checks the dump's
                sha256 against the manifest, and asks you to type the database's name. Then it runs
                  pg_restore --clean --if-exists --no-owner --single-transaction
                (all or nothing) and compares every table's row count with the manifest.

                Refuses when stdin is not a terminal (an agent cannot run it), and refuses a database that is not
                proven to be the development database. Tables created after the backup are left as they are.

                Exit status: 0 when every table matches the manifest; 1 when refused, when pg_restore failed
                (nothing changed), or when a table does not match.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of(), Set.of());
        if (a.positionals().size() != 1) {
            throw new UsageException("name exactly one backup file");
        }
        if (!ctx.terminal().interactive()) {
            ctx.err().println(Terminal.refusal(name()));
            return 1;
        }
        Config config = ctx.config();
        try (Project project = Project.open(config)) {
            Path dump = locate(a.positionals().get(0), ctx.workingDir(), config.backup().dir());
            BackupManifest manifest = ManifestFile.read(dump);
            if (!ManifestFile.matches(dump, manifest)) {
                ctx.err().println("safemigrate restore: refusing: " + dump + " is not the file its manifest describes "
                        + "(size or sha256 differ): it was changed or is incomplete. Use another backup.");
                return 1;
            }
            DumpTarget target;
            DatabaseIdentity identity;
            try (ProvenConnection db = ProvenConnection.open(project)) {
                DatabaseIdentity d = db.identity();
                identity = d;
                ctx.out().print(IdentityText.of(d));
                ctx.out().print(describe(dump, manifest));
                if (!d.verified()) {
                    ctx.err().println("safemigrate restore: refusing: this is not proven to be the development database: "
                            + String.join("; ", d.problems()) + ".");
                    return 1;
                }
                if (!d.name().equals(manifest.database())) {
                    ctx.out().println("Note: this backup was taken from database " + manifest.database() + ", not "
                            + d.name() + ".");
                }
                String typed = ctx.terminal().readLine("This replaces the contents of " + d.name() + " with the backup. "
                        + "Type the database name to go on: ");
                if (typed == null || !typed.strip().equals(d.name())) {
                    ctx.out().println("Nothing changed.");
                    return 1;
                }
                // the configured name, not the one the database reports: the identity proof already
                // refused a database whose reported name differs from it
                target = DumpTarget.of(db.settings().hosts().get(0), db.settings().port(), db.settings().database(),
                        db.settings().user(), db.settings().password());
            }
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("backup", dump.getFileName().toString());
            facts.put("sha256", manifest.sha256());
            facts.put("taken_at", manifest.createdAt());
            CommandAudit audit = new CommandAudit(config, ctx, name(), Map.of("backup", dump.getFileName().toString()));
            try {
                PgRestore.besidePgDump(config.backup().pgDump()).restore(target, dump);
            } catch (BackupException e) {
                audit.failed(identity, "RESTORE_FAILED", e.getMessage(), facts);
                throw e;
            }
            try (ProvenConnection db = ProvenConnection.open(project)) {
                RowCountCheck.Result checked = RowCountCheck.compare(manifest, db.connection());
                facts.put("tables_checked", checked.checked());
                facts.put("tables_not_in_backup", checked.extra().size());
                if (checked.mismatches().isEmpty()) {
                    audit.changed(identity, facts);
                } else {
                    facts.put("mismatches", checked.mismatches());
                    audit.failed(identity, "RESTORE_MISMATCH", checked.mismatches().size() + " of " + checked.checked()
                            + " tables do not hold the rows the manifest lists", facts);
                }
                return report(checked, ctx);
            }
        } catch (BackupException e) {
            ctx.err().println("safemigrate restore: " + e.getMessage() + "\nFix: " + e.hint());
            return 1;
        } catch (ToolException e) {
            ctx.err().println("safemigrate restore: " + e.error().message() + "\nFix: " + e.error().hint());
            return 1;
        } catch (IOException | SQLException e) {
            ctx.err().println("safemigrate restore: " + e.getMessage());
            return 1;
        }
    }

    private static Path locate(String name, Path workingDir, Path backupDir) throws BackupException {
        Path asGiven = workingDir.resolve(name);
        if (Files.isRegularFile(asGiven)) {
            return asGiven;
        }
        Path inBackups = backupDir.resolve(name);
        if (Files.isRegularFile(inBackups)) {
            return inBackups;
        }
        throw new BackupException("no backup " + name + " (looked at " + asGiven + " and " + inBackups + ")",
                "Name a .dump file from " + backupDir + "; the status command shows the newest.");
    }

    private static String describe(Path dump, BackupManifest m) {
        StringBuilder sb = new StringBuilder("\nBackup       ").append(dump).append('\n')
                .append("Taken        ").append(m.createdAt()).append(" from ").append(m.database()).append(" on ")
                .append(m.host()).append(':').append(m.port()).append(" by ").append(m.pgDumpVersion()).append('\n')
                .append("Contents     ").append(m.tables().size()).append(" tables, ").append(m.totalRows())
                .append(" rows, sha256 ").append(m.sha256()).append('\n');
        for (BackupManifest.TableRows t : m.tables()) {
            sb.append("  ").append(t.schema()).append('.').append(t.name()).append(": ").append(t.rows()).append(" rows\n");
        }
        return sb.append('\n').toString();
    }

    private static int report(RowCountCheck.Result r, CommandContext ctx) {
        for (String t : r.extra()) {
            ctx.out().println("Not in the backup, left as it is: " + t);
        }
        if (r.mismatches().isEmpty()) {
            ctx.out().println("Restored. All " + r.checked() + " tables hold the rows the manifest lists.");
            return 0;
        }
        ctx.err().println("safemigrate restore: restored, but " + r.mismatches().size() + " of " + r.checked()
                + " tables do not match the manifest:");
        r.mismatches().forEach(m -> ctx.err().println("  " + m));
        return 1;
    }
}
