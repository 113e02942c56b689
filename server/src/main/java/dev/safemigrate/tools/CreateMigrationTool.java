package dev.safemigrate.tools;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.FirstReading;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.migrations.FlywayChecksum;
import dev.safemigrate.migrations.MigrationFile;
import dev.safemigrate.migrations.MigrationName;
import dev.safemigrate.migrations.Migration;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.NextVersion;

/**
 * create_migration: analyse the SQL, refuse what is never allowed, and write a new versioned
 * file atomically. An applied migration is immutable; only a pending one may be replaced.
 */
public final class CreateMigrationTool {

    public record Input(String name, String sql, String replaces) {}

    /**
     * @param next         the call to make next
     * @param findings     every finding in file order while the result fits its budget; else the most severe that
     *                     fit, and truncated says how to page the rest with show_sql
     * @param auditSummary what the audit line records: every finding, though the result may show fewer
     */
    public record Output(String next, FindingCounts findingsSummary, Truncated truncated, String version, String path,
                         int checksum, int statementCount, boolean executeInTransaction, List<Finding> findings,
                         Replaced replaced, DatabaseIdentity database, AnalysisBasis analysis,
                         @JsonIgnore Map<String, Object> auditSummary) implements Audited {}

    /** The answer for a migration written as {@code path}, fitted to the agent's budget ({@link Budget#RESULT}). */
    static Output written(String version, String path, int checksum, MigrationAnalysis analysis, Replaced replaced,
                          DatabaseIdentity database, AnalysisBasis basis) {
        List<Finding> all = analysis.findings();
        FindingCounts summary = FindingCounts.of(all.stream().map(f -> MigrationFinding.of(version, path, f)).toList());
        Map<String, Object> audit = FindingsSummary.of(new AuditSummary().put("version", version).put("path", path)
                .put("statements", analysis.statements().size())
                .put("replaced", replaced == null ? null : replaced.version()), path, all).build();
        IntFunction<Output> showing = n -> {
            // cut most severe first, in the order show_sql pages this migration's findings, so the offset continues there
            List<Finding> shown = n == all.size() ? all : all.stream().sorted(ShowSqlPage.MOST_SEVERE).limit(n).toList();
            Truncated cut = new Truncated.Cuts().add("findings", n, all.size(),
                    NextCall.of("show_sql", "version", version, "list", "findings", "offset", n)).result();
            return new Output(NextCall.of("apply_to_dev", "dry_run", true), summary, cut, version, path, checksum,
                    analysis.statements().size(), analysis.executeInTransaction(), shown, replaced, database, basis, audit);
        };
        return Budget.largest(all.size(), Budget.RESULT, showing);
    }

    /** For a person: what was written, the findings in numbers, and the next step. */
    static String text(Output out) {
        return text(out, "executeInTransaction=false in " + out.path() + ".conf");
    }

    /** @param nonTransactional where the layout says the migration runs outside a transaction */
    static String text(Output out, String nonTransactional) {
        return "Wrote " + out.path() + " (version " + out.version() + ", " + out.statementCount() + " statement(s); findings: "
                + out.findingsSummary().inWords() + ")."
                + (out.executeInTransaction() ? "" : " It runs outside a transaction (" + nonTransactional + ").")
                + (out.replaced() == null ? "" : " It replaces pending " + out.replaced().path() + ", now deleted.")
                + " Review it with show_sql, then " + out.next() + ".";
    }

    public record Replaced(String version, String path) {}

    private final Project project;

    public CreateMigrationTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in) {
        project.writeLock().lock();
        try {
            return create(in);
        } catch (ToolException e) {
            return e.toResult();
        } finally {
            project.writeLock().unlock();
        }
    }

    private ToolResult create(Input in) throws ToolException {
        String nameProblem = MigrationName.problem(in.name());
        if (nameProblem != null) {
            throw new ToolException(ToolError.INVALID_NAME, nameProblem,
                    "Use a short slug of lowercase letters, digits and underscores, e.g. add_users_email; "
                            + "the server chooses the folder and the version.");
        }
        String sql = in.sql() == null ? "" : in.sql();
        FirstReading first = project.analyzer().read(sql, project.devDatabaseName());
        MigrationAnalysis analysis = first.analysis();
        if (analysis.statements().isEmpty()) {
            throw new ToolException(ToolError.SQL_REJECTED, "the SQL holds no statement",
                    "Pass the migration's SQL statements in 'sql'.");
        }
        List<Finding> blocked = analysis.atLeast(Severity.BLOCK);
        if (!blocked.isEmpty()) {
            throw new ToolException(new ToolError(ToolError.SQL_REJECTED,
                    blocked.size() + " statement(s) are never allowed in a migration: " + describe(blocked),
                    "Remove them. These are not schema changes an agent may make (roles, server files, other "
                            + "databases, transaction control…); if one is really needed, tell your user why."),
                    null, analysis.findings());
        }
        if (analysis.mixesNonTransactional()) {
            throw new ToolException(new ToolError(ToolError.SQL_REJECTED,
                    "statements that cannot run in a transaction (… CONCURRENTLY, VACUUM, …) must be alone in their "
                            + "migration: Flyway runs such a migration outside a transaction, so a failure halfway would "
                            + "leave the other statements half applied",
                    "Put each non-transactional statement in a migration of its own, and the rest in another."),
                    null, analysis.findings());
        }
        Analysed catalog = withCatalog(first);
        analysis = catalog.analysis();
        try {
            MigrationSnapshot snapshot = project.migrations().snapshot();
            String unwritable = project.migrations().refusesWriting(snapshot);
            if (unwritable != null) {
                throw new ToolException(ToolError.VALIDATION_FAILED, project.relative(project.migrations().dir()) + ": "
                        + unwritable, "Nothing was written. Show this to your user: a person must fix the migrations "
                        + "folder first.");
            }
            Replaceable target = in.replaces() == null ? null : replaceable(in.replaces(), snapshot);
            MigrationSnapshot.SnapshotFile replaced = target == null ? null : target.file();
            DatabaseIdentity identity = target == null ? null : target.database();
            for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
                if (f.name().equals(in.name()) && (replaced == null || !f.equals(replaced))) {
                    throw new ToolException(ToolError.MIGRATION_EXISTS,
                            "a migration named '" + in.name() + "' already exists: " + project.relative(f.path()),
                            "Choose another name, or pass replaces: \"" + f.version()
                                    + "\" to revise it while it is still pending.");
                }
            }
            List<String> versions = new ArrayList<>(snapshot.files().stream().map(MigrationSnapshot.SnapshotFile::rawVersion).toList());
            if (target != null) {
                versions.addAll(target.recordedVersions());
            }
            String version = NextVersion.after(versions, project.config().migrations().versioning(), NextVersion.nowUtc());
            String content = sql.endsWith("\n") ? sql : sql + "\n";
            // a replace renames the old file into the new one, so that no crash leaves two versions or none
            MigrationFile file = replaced == null
                    ? project.migrations().write(version, in.name(), content, analysis.executeInTransaction())
                    : project.migrations().replace(replaced.path(), version, in.name(), content,
                            analysis.executeInTransaction());
            Output out = written(version, project.relative(file.path()), FlywayChecksum.of(content), analysis,
                    replaced == null ? null : new Replaced(replaced.version().getVersion(), project.relative(replaced.path())),
                    identity, catalog.basis());
            return ToolResult.ok(out, text(out, project.migrations().nonTransactionalNote(out.path())));
        } catch (FileAlreadyExistsException e) {
            throw new ToolException(ToolError.MIGRATION_EXISTS, "the file " + e.getMessage() + " already exists",
                    "Call create_migration again; the next version will be used.");
        } catch (IOException e) {
            throw new ToolException(ToolError.INTERNAL_ERROR, "could not write the migration: " + e.getMessage(),
                    "Check that " + project.migrations().dir() + " is writable.");
        }
    }

    private record Analysed(MigrationAnalysis analysis, AnalysisBasis basis) {}

    /**
     * The analysis again with what the development database's catalog knows about the tables the
     * SQL targets, as the migrations before it leave them; the static one when no proven
     * development database answers (the tool works without one).
     */
    private Analysed withCatalog(FirstReading first) {
        MigrationAnalysis staticAnalysis = first.analysis();
        try (ProvenConnection db = ProvenConnection.open(project)) {
            String why = CatalogAwareness.unusable(db);
            if (why != null) {
                return new Analysed(staticAnalysis, AnalysisBasis.staticOnly(why));
            }
            MigrationSnapshot snapshot = project.migrations().snapshot();
            List<CatalogAwareness.Pending> pending = new ArrayList<>();
            for (Migration m : project.history(db.settings).info(snapshot)) {
                if (m.pending() && m.file().isPresent()) {
                    pending.add(new CatalogAwareness.Pending(m.file().get().script(),
                            project.analyzer().analyze(m.file().get().text(), project.devDatabaseName())));
                }
            }
            pending.add(new CatalogAwareness.Pending("", staticAnalysis));   // no script is named ""
            CatalogFacts facts = CatalogAwareness.forPending(db, pending).get("");
            // judged again only when the catalog knows a table the SQL targets: otherwise the result is the
            // same; and then from the first reading, re-running only the rules that read the facts
            MigrationAnalysis analysis = MigrationAnalyzer.factsApply(staticAnalysis, facts)
                    ? project.analyzer().withFacts(first, facts) : staticAnalysis;
            return new Analysed(analysis, AnalysisBasis.catalog(facts.serverVersion()));
        } catch (ToolException e) {
            return new Analysed(staticAnalysis, AnalysisBasis.staticOnly("static only: no development database reachable"));
        } catch (SQLException | IOException | FlywayException e) {
            return new Analysed(staticAnalysis, AnalysisBasis.staticOnly("static only: the catalog could not be read: "
                    + e.getMessage()));
        }
    }

    private record Replaceable(MigrationSnapshot.SnapshotFile file, DatabaseIdentity database,
                               List<String> recordedVersions) {}

    /**
     * Only a migration the development database has never recorded may be rewritten: the file
     * is matched to the history by Flyway's own version ({@code 1_1} is {@code 1.1}), and a
     * database that cannot be reached cannot prove the file is still pending.
     */
    private Replaceable replaceable(String version, MigrationSnapshot snapshot) throws ToolException {
        Optional<MigrationSnapshot.SnapshotFile> file = snapshot.byVersion(version);
        if (file.isEmpty()) {
            throw new ToolException(ToolError.MIGRATION_NOT_FOUND, "no migration file has version " + version,
                    "Call status to see the migrations and their versions.");
        }
        try (ProvenConnection db = ProvenConnection.open(project)) {
            List<Migration> migrations = project.history(db.settings).info(snapshot);
            for (Migration m : migrations) {
                if (m.version().equals(file.get().version()) && m.recorded()) {
                    throw new ToolException(new ToolError(ToolError.MIGRATION_APPLIED,
                            "migration " + m.versionText() + " is already applied (" + m.state().id() + ") and is immutable",
                            "Create a new migration that changes the schema from where it is now."), db.identity, null);
                }
            }
            return new Replaceable(file.get(), db.identity,
                    migrations.stream().filter(Migration::recorded).map(Migration::versionText).toList());
        } catch (FlywayException e) {
            throw new ToolException(ToolError.VALIDATION_FAILED, "could not read the applied migrations: " + e.getMessage(),
                    "Call status to see what is wrong.");
        }
    }

    /**
     * The first few blocked findings, in one line each: an error result is cut by the agent's client
     * after about 11,000 characters, and {@code findings} carries every one of them.
     */
    static String describe(List<Finding> findings) {
        String listed = findings.stream().limit(BLOCKED_LISTED)
                .map(f -> "line " + f.line() + " [" + f.rule() + "] " + Budget.clip(f.message(), BLOCKED_MESSAGE))
                .collect(Collectors.joining("; "));
        return findings.size() > BLOCKED_LISTED ? listed + "; and " + (findings.size() - BLOCKED_LISTED) + " more" : listed;
    }

    private static final int BLOCKED_LISTED = 10;
    private static final int BLOCKED_MESSAGE = 300;
}
