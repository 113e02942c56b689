package dev.safemigrate.tools;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.DatabaseIdentity;

/** show_sql: the SQL of one migration, or of every pending one, with its analysis, for review. */
public final class ShowSqlTool {

    public record Input(String version, Boolean pending) {}

    public record Output(DatabaseIdentity database, List<Migration> migrations) {}

    public record Migration(String version, String description, String path, String state, int checksum, String sql,
                            boolean transactional, List<Statement> statements, List<Finding> findings) {}

    public record Statement(int index, int line, String kind, List<String> targets, String lock, boolean rewrite,
                            boolean transactional, List<Finding> findings) {}

    private final Project project;

    public ShowSqlTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in) {
        if (in.version() != null && Boolean.TRUE.equals(in.pending())) {
            return new ToolException(ToolError.INVALID_INPUT, "pass either version or pending: true, not both",
                    "Call show_sql with {\"pending\": true} to review everything apply_to_dev would run.").toResult();
        }
        try (ProvenConnection db = ProvenConnection.open(project)) {
            MigrationSet set = MigrationSet.read(project, db);
            List<MigrationSet.Loaded> chosen = in.version() == null
                    ? set.pending()
                    : set.byVersion(in.version()).filter(m -> m.file().isPresent()).map(set::load).stream().toList();
            if (in.version() != null && chosen.isEmpty()) {
                throw new ToolException(new ToolError(ToolError.MIGRATION_NOT_FOUND,
                        "no migration file has version " + in.version(),
                        "Call status to list the migrations and their versions."), db.identity, null);
            }
            List<Migration> migrations = chosen.stream().map(this::describe).toList();
            return ToolResult.ok(new Output(db.identity, migrations), text(migrations, in.version() == null));
        } catch (ToolException e) {
            return e.toResult();
        }
    }

    private Migration describe(MigrationSet.Loaded l) {
        List<Statement> statements = l.analysis().statements().stream().map(ShowSqlTool::statement).toList();
        return new Migration(l.version(), l.file().description(), project.relative(l.file().path()),
                l.migration().state().id(), l.file().checksum(), l.file().text(), !l.analysis().needsNoTransaction(),
                statements, l.analysis().findings());
    }

    private static Statement statement(StatementAnalysis s) {
        return new Statement(s.index(), s.line(), s.kind(), s.targets(), s.lock(), s.rewrite(), s.transactional(),
                s.findings());
    }

    private static String text(List<Migration> migrations, boolean pendingOnly) {
        if (migrations.isEmpty()) {
            return pendingOnly ? "No pending migrations." : "No such migration.";
        }
        StringBuilder sb = new StringBuilder();
        for (Migration m : migrations) {
            sb.append("-- ").append(m.path()).append(" (").append(m.state()).append(", ")
                    .append(m.statements().size()).append(" statement(s))\n").append(m.sql());
            for (Finding f : m.findings()) {
                sb.append("-- ").append(f.severity().id()).append(" line ").append(f.line()).append(" [")
                        .append(f.rule()).append("] ").append(f.message()).append(" Safer: ").append(f.hint()).append('\n');
            }
        }
        return sb.toString();
    }
}
