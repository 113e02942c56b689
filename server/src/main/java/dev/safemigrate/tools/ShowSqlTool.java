package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.migrations.MigrationSnapshot;

/**
 * show_sql: the SQL of one migration, or of every pending one, with its analysis, for review; on a
 * long history a summary, and the rest a page at a time ({@link ShowSqlPage}).
 */
public final class ShowSqlTool {

    /** @param list null: the migrations, or with a version that migration's detail */
    public record Input(String version, Boolean pending, String list, String severity, Integer offset, Integer limit) {}

    /**
     * @param next         the call to make next: the dry run, while something is pending
     * @param migrations   in detail while the result fits, else one-line summaries; absent for list findings
     * @param findings     list findings: one page
     * @param statements   list statements: one page of the migration's statements, each with its text and findings
     * @param auditSummary every migration and finding the call was about, though the result shows a page of them
     */
    public record Output(String next, FindingCounts findingsSummary, Truncated truncated, DatabaseIdentity database,
                         List<Migration> migrations, List<MigrationFinding> findings, List<Statement> statements,
                         @JsonIgnore Map<String, Object> auditSummary) implements Audited {}

    /**
     * @param findingCounts the severities that occur, with how many
     * @param sql           absent in a one-line summary, with statements and findings (and the analysis's note)
     */
    public record Migration(String version, String description, String path, String state, int checksum,
                            boolean transactional, int statementCount, Map<String, Integer> findingCounts,
                            AnalysisBasis analysis, String sql, List<Statement> statements, List<Finding> findings) {}

    /** @param text and findings only in list statements: the migration's findings name their statement */
    public record Statement(int index, int line, String kind, List<String> targets, String lock, boolean rewrite,
                            boolean transactional, String text, List<Finding> findings) {}

    /** One migration as reviewed: its file, and its analysis with the catalog's facts where they apply. */
    record Reviewed(String version, String description, String path, String state, boolean pending, int checksum,
                    String sql, MigrationAnalysis analysis, AnalysisBasis basis) {
        List<MigrationFinding> findings() {
            return analysis.findings().stream().map(f -> MigrationFinding.of(version, path, f)).toList();
        }
    }

    private final Project project;
    /** Paging a long history is many calls over the same files: each is analysed once while it is unchanged. */
    private final AnalysisMemo analyses = new AnalysisMemo();

    public ShowSqlTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input in) {
        try {
            if (in.version() != null && Boolean.TRUE.equals(in.pending())) {
                throw new ToolException(ToolError.INVALID_INPUT, "pass either version or pending: true, not both",
                        "Call show_sql with {\"pending\": true} to review everything apply_to_dev would run.");
            }
            ShowSqlPage.Listing list = listing(in);
            Severity severity = severity(in.severity());
            Page page = Page.of(in.offset(), in.limit(), ShowSqlPage.DEFAULT_LIMIT);
            try (ProvenConnection db = ProvenConnection.open(project)) {
                MigrationSnapshot snapshot = MigrationSet.snapshot(project, db);
                MigrationSet set = MigrationSet.of(project, db, snapshot, MigrationSet.info(project, db, snapshot), analyses);
                List<MigrationSet.Loaded> chosen = in.version() == null
                        ? set.pending()
                        : set.byVersion(in.version()).filter(m -> m.file().isPresent()).map(set::load).stream().toList();
                if (in.version() != null && chosen.isEmpty()) {
                    throw new ToolException(new ToolError(ToolError.MIGRATION_NOT_FOUND,
                            "no migration file has version " + in.version(),
                            "Call status to list the migrations and their versions."), db.identity, null);
                }
                Catalog catalog = catalog(db, set);
                List<Reviewed> reviewed = chosen.stream().map(l -> review(l, catalog, db.identity.name())).toList();
                Output out = new ShowSqlPage(in.version(), list, severity, page, db.identity, reviewed).output();
                return ToolResult.ok(out, text(in.version(), reviewed, out));
            }
        } catch (ToolException e) {
            return e.toResult();
        }
    }

    private static ShowSqlPage.Listing listing(Input in) throws ToolException {
        if (in.list() == null) {
            return null;
        }
        ShowSqlPage.Listing list;
        try {
            list = ShowSqlPage.Listing.valueOf(in.list().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolError.INVALID_INPUT, "list must be migrations, findings or statements, not "
                    + in.list(), "Call show_sql with {\"list\": \"findings\"} to page the findings.");
        }
        if (list == ShowSqlPage.Listing.STATEMENTS && in.version() == null) {
            throw new ToolException(ToolError.INVALID_INPUT, "list \"statements\" pages the statements of one migration: "
                    + "pass its version", "Call show_sql with {\"version\": \"<V>\", \"list\": \"statements\"}; status lists "
                    + "the versions.");
        }
        return list;
    }

    private static Severity severity(String id) throws ToolException {
        if (id == null) {
            return null;
        }
        try {
            return Severity.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolError.INVALID_INPUT, "severity must be block, confirm, warn or info, not " + id,
                    "Call show_sql with {\"list\": \"findings\", \"severity\": \"confirm\"}.");
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

    private Reviewed review(MigrationSet.Loaded l, Catalog catalog, String database) {
        CatalogFacts facts = catalog.facts().get(l.file().script());
        // read again only when the catalog knows a table the SQL targets: otherwise the result is the same
        MigrationAnalysis analysis = facts != null && MigrationAnalyzer.factsApply(l.analysis(), facts)
                ? project.analyzer().analyze(l.file().text(), database, facts) : l.analysis();
        AnalysisBasis basis = facts != null ? AnalysisBasis.catalog(catalog.serverVersion())
                : AnalysisBasis.staticOnly(catalog.staticWhy() != null ? catalog.staticWhy()
                : "static only: this migration is already recorded in the development database, whose catalog "
                + "shows its result, not what it starts from");
        return new Reviewed(l.version(), l.file().description(), project.relative(l.file().path()),
                l.migration().state().id(), l.migration().pending(), l.file().checksum(), l.file().text(), analysis, basis);
    }

    /** For a person: what was shown, the findings in numbers, what was left out and the next step; never the SQL. */
    private static String text(String version, List<Reviewed> reviewed, Output out) {
        if (reviewed.isEmpty()) {
            return "No pending migrations.";
        }
        int statements = reviewed.stream().mapToInt(r -> r.analysis().statements().size()).sum();
        long catalog = reviewed.stream().filter(r -> r.basis().fromCatalog()).count();
        String analysis = catalog == reviewed.size() ? "catalog analysis" : catalog == 0 ? "static analysis"
                : "catalog analysis for " + catalog + ", static for " + (reviewed.size() - catalog);
        Reviewed first = reviewed.get(0);
        FindingCounts counts = out.findingsSummary();
        String rules = counts.byRule().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        List<String> head = List.of((version != null
                        ? "Migration " + first.version() + " (" + first.path() + ", " + first.state() + "): "
                        : reviewed.size() + " pending migration(s): ") + statements + " statement(s), " + analysis + ".",
                "Findings: " + counts.inWords() + (rules.isEmpty() ? "." : "; by rule: " + Budget.clip(rules, RULES) + "."));
        List<String> tail = new ArrayList<>();
        Truncated t = out.truncated();
        if (t != null) {
            tail.add("Shown: " + t.shown() + " of " + t.total() + " " + t.of() + "; the rest: " + t.how() + ".");
        }
        if (out.next() != null) {
            tail.add("Next: show the findings to your user, then " + out.next() + ".");
        }
        // the most severe findings in the room left, so that what to do next is never cut off
        int room = TEXT - Stream.concat(head.stream(), tail.stream()).mapToInt(l -> l.length() + 1).sum();
        List<String> lines = new ArrayList<>(head);
        for (String finding : counts.top().subList(0, Math.min(TOP_LINES, counts.top().size()))) {
            String line = "  " + Budget.clip(finding, TOP_LINE);
            if (line.length() + 1 > room) {
                break;
            }
            lines.add(line);
            room -= line.length() + 1;
        }
        lines.addAll(tail);
        return Budget.clip(String.join("\n", lines), TEXT);
    }

    /** The most severe findings the text names; the rest are counted. */
    private static final int TOP_LINES = 3;
    private static final int TOP_LINE = 160;
    private static final int RULES = 200;
    /** The text is for a person reading the conversation: a few lines whatever the history. */
    private static final int TEXT = 950;
}
