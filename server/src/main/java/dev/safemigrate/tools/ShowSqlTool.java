package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;

/** show_sql: the SQL of one migration, or of every pending one, with its analysis, for review. */
public final class ShowSqlTool {

    public record Input(String version, Boolean pending) {}

    public record Output(DatabaseIdentity database, List<Migration> migrations) implements Audited {
        @Override
        public Map<String, Object> auditSummary() {
            AuditSummary s = new AuditSummary().put("versions", migrations.stream().map(Migration::version).toList());
            List<MigrationFinding> findings = migrations.stream().flatMap(m -> m.findings().stream()
                    .map(f -> MigrationFinding.of(m.version(), m.path(), f))).toList();
            return FindingsSummary.of(s, null, findings).build();
        }
    }

    public record Migration(String version, String description, String path, String state, int checksum, String sql,
                            boolean transactional, List<Statement> statements, List<Finding> findings,
                            AnalysisBasis analysis) {}

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
            Catalog catalog = catalog(db, set);
            List<Migration> migrations = chosen.stream().map(l -> describe(l, catalog, db.identity.name())).toList();
            return ToolResult.ok(new Output(db.identity, migrations), text(migrations, in.version() == null));
        } catch (ToolException e) {
            return e.toResult();
        }
    }

    /** The catalog facts for each pending migration, or why there are none. */
    private record Catalog(Map<String, CatalogFacts> facts, String serverVersion, String staticWhy) {}

    private static Catalog catalog(ProvenConnection db, MigrationSet set) {
        String why = CatalogAwareness.unusable(db);
        if (why != null) {
            return new Catalog(Map.of(), null, why);
        }
        try {
            List<CatalogAwareness.Pending> pending = set.pending().stream()
                    .map(l -> new CatalogAwareness.Pending(l.file().script(), l.analysis())).toList();
            return new Catalog(CatalogAwareness.forPending(db, pending), db.observed.serverVersion(), null);
        } catch (SQLException e) {
            return new Catalog(Map.of(), null, "static only: the catalog could not be read: " + e.getMessage());
        }
    }

    private Migration describe(MigrationSet.Loaded l, Catalog catalog, String database) {
        CatalogFacts facts = catalog.facts().get(l.file().script());
        MigrationAnalysis analysis = facts == null ? l.analysis()
                : project.analyzer().analyze(l.file().text(), database, facts);
        AnalysisBasis basis = facts != null ? AnalysisBasis.catalog(catalog.serverVersion())
                : AnalysisBasis.staticOnly(catalog.staticWhy() != null ? catalog.staticWhy()
                : "static only: this migration is already recorded in the development database, whose catalog "
                + "shows its result, not what it starts from");
        List<Statement> statements = analysis.statements().stream().map(ShowSqlTool::statement).toList();
        return new Migration(l.version(), l.file().description(), project.relative(l.file().path()),
                l.migration().state().id(), l.file().checksum(), l.file().text(), !analysis.needsNoTransaction(),
                statements, analysis.findings(), basis);
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
                    .append(m.statements().size()).append(" statement(s), ").append(m.analysis().kind())
                    .append(" analysis)\n").append(m.sql());
            for (Finding f : m.findings()) {
                sb.append("-- ").append(f.severity().id()).append(" line ").append(f.line()).append(" [")
                        .append(f.rule()).append("] ").append(f.message()).append(" Safer: ").append(f.hint()).append('\n');
            }
        }
        return sb.toString();
    }
}
