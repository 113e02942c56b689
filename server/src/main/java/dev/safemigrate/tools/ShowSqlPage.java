package dev.safemigrate.tools;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.tools.ShowSqlTool.Migration;
import dev.safemigrate.tools.ShowSqlTool.Output;
import dev.safemigrate.tools.ShowSqlTool.Reviewed;
import dev.safemigrate.tools.ShowSqlTool.Statement;

/**
 * What one show_sql result shows of the migrations it reviewed, within the agent's budget
 * ({@link Budget}): each migration in detail while the whole fits, one-line summaries otherwise; the
 * long lists (migrations, findings, statements) a page at a time, in an order that does not change
 * between calls, so that following truncated.how from offset 0 shows every item exactly once.
 * Pure: the reviewed migrations in, the result out.
 */
final class ShowSqlPage {

    /** The list a call pages, as its {@code list} argument names it. */
    enum Listing {
        MIGRATIONS, FINDINGS, STATEMENTS;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int DEFAULT_LIMIT = 50;
    /** The head of a migration's SQL when its detail does not fit; every statement's text is in list statements. */
    static final int SQL_HEAD = 1_500;
    /** The head of one statement's text when not even that statement alone fits a page: the file has the rest. */
    static final int STATEMENT_HEAD = 1_000;
    /** The head of a finding's message and hint when not even that finding alone fits a page. */
    static final int FINDING_HEAD = 500;
    /** {@link FindingCounts#MOST_SEVERE} for one migration's findings: the order list findings pages them in. */
    static final Comparator<Finding> MOST_SEVERE = Comparator.comparing(Finding::severity);

    private final String version;
    private final Listing list;
    private final Severity severity;
    private final Page page;
    private final DatabaseIdentity database;
    private final List<Reviewed> chosen;
    private final String next;
    private final FindingCounts summary;
    private final Map<String, Object> audit;

    /**
     * @param version  the version asked for, or null for every pending migration
     * @param list     the list asked for, or null: the migrations, or with a version that migration's detail
     * @param severity only findings of this severity are listed, or null for all
     * @param chosen   the migrations asked for, in version order
     */
    ShowSqlPage(String version, Listing list, Severity severity, Page page, DatabaseIdentity database,
                List<Reviewed> chosen) {
        this.version = version;
        this.list = list;
        this.severity = severity;
        this.page = page;
        this.database = database;
        this.chosen = chosen;
        List<MigrationFinding> findings = chosen.stream().flatMap(r -> r.findings().stream()).toList();
        this.next = chosen.stream().anyMatch(Reviewed::pending) ? NextCall.of("apply_to_dev", "dry_run", true) : null;
        this.summary = FindingCounts.of(findings);
        this.audit = FindingsSummary.of(new AuditSummary().put("versions", chosen.stream().map(Reviewed::version).toList()),
                null, findings).build();
    }

    Output output() {
        if (list == Listing.FINDINGS) {
            return findings();
        }
        if (list == Listing.STATEMENTS) {
            return statements(chosen.get(0));
        }
        if (list == null && version != null) {
            return detail(chosen.get(0));
        }
        return migrations();
    }

    /** The findings of the chosen migrations in the order they are paged in: most severe first, then as they occur. */
    static List<MigrationFinding> pagingOrder(List<Reviewed> chosen) {
        // a stable sort of the version-ordered list: within a severity, version, statement and rule order are kept
        return chosen.stream().flatMap(r -> r.findings().stream()).sorted(FindingCounts.MOST_SEVERE).toList();
    }

    private Output migrations() {
        List<Reviewed> shown = page.slice(chosen, chosen.size());
        Output detailed = migrations(shown.stream().map(this::detailed).toList(), false);
        if (Budget.fits(detailed, page.budget())) {
            return detailed;
        }
        List<Migration> summaries = shown.stream().map(ShowSqlPage::summary).toList();
        return Budget.largest(summaries.size(), page.budget(), n -> migrations(summaries.subList(0, n), true));
    }

    private Output migrations(List<Migration> shown, boolean summaries) {
        Truncated.Cuts cuts = new Truncated.Cuts();
        int after = page.offset() + shown.size();
        if (after < chosen.size()) {
            cuts.add("migrations", shown.size(), chosen.size(), call(Listing.MIGRATIONS, after));
        }
        if (summaries && !shown.isEmpty()) {
            // each entry's sql, statements and findings: one version at a time
            cuts.add("detail", 0, shown.size(), NextCall.of("show_sql", "version", shown.get(0).version()));
        }
        return output(cuts, shown, null, null);
    }

    /** One migration: whole when it fits, else the head of its SQL and as many statements and findings as fit. */
    private Output detail(Reviewed r) {
        Output whole = output(new Truncated.Cuts(), List.of(detailed(r)), null, null);
        if (Budget.fits(whole, page.budget())) {
            return whole;
        }
        String head = Budget.clip(r.sql(), SQL_HEAD);
        List<Statement> statements = r.analysis().statements().stream().map(s -> statement(s, null, null)).toList();
        List<Finding> findings = selected(r.analysis().findings()).stream().sorted(MOST_SEVERE).toList();
        return Budget.largest(Math.max(statements.size(), findings.size()), page.budget(), n -> {
            int s = Math.min(n, statements.size());
            int f = Math.min(n, findings.size());
            Truncated.Cuts cuts = new Truncated.Cuts()
                    .add("findings", f, findings.size(), call(Listing.FINDINGS, f))
                    .add("statements", s, statements.size(), call(Listing.STATEMENTS, s));
            if (r.sql().length() > SQL_HEAD) {
                cuts.add("sql", SQL_HEAD, r.sql().length(), call(Listing.STATEMENTS, 0));
            }
            return output(cuts, List.of(migration(r, r.basis(), head, statements.subList(0, s), findings.subList(0, f))),
                    null, null);
        });
    }

    private Output findings() {
        List<MigrationFinding> all = pagingOrder(chosen).stream()
                .filter(f -> severity == null || f.severity() == severity).toList();
        List<MigrationFinding> shown = page.slice(all, all.size());
        Output out = Budget.largest(shown.size(), page.budget(), n -> findings(shown.subList(0, n), all.size()));
        if (out.findings().isEmpty() && !shown.isEmpty()) {
            MigrationFinding f = shown.get(0);
            return findings(List.of(new MigrationFinding(f.migration(), f.path(), f.rule(), f.severity(), f.statement(),
                    f.line(), Budget.clip(f.message(), FINDING_HEAD), Budget.clip(f.hint(), FINDING_HEAD), f.allowedFrom(),
                    Budget.clip(f.allowedReason(), FINDING_HEAD))), all.size());
        }
        return out;
    }

    private Output findings(List<MigrationFinding> shown, int total) {
        Truncated.Cuts cuts = new Truncated.Cuts();
        int after = page.offset() + shown.size();
        if (after < total) {
            cuts.add("findings", shown.size(), total, call(Listing.FINDINGS, after));
        }
        return output(cuts, null, shown, null);
    }

    /** One migration's statements, each with its text and findings, after the migration in one line. */
    private Output statements(Reviewed r) {
        List<StatementAnalysis> all = r.analysis().statements();
        List<StatementAnalysis> shown = page.slice(all, all.size());
        List<Migration> head = List.of(summary(r));
        Output out = Budget.largest(shown.size(), page.budget(), n -> statements(head,
                shown.subList(0, n).stream().map(s -> statement(s, s.text(), selected(s.findings()))).toList(), all.size(), 0));
        if (!out.statements().isEmpty() || shown.isEmpty()) {
            return out;
        }
        // not even the first statement fits whole: the head of its text, and its findings if they fit beside it
        StatementAnalysis s = shown.get(0);
        String text = Budget.clip(s.text(), STATEMENT_HEAD);
        out = statements(head, List.of(statement(s, text, selected(s.findings()))), all.size(), 0);
        return Budget.fits(out, page.budget()) ? out
                : statements(head, List.of(statement(s, text, null)), all.size(), selected(s.findings()).size());
    }

    /** @param findingsLeftOut findings of the one statement shown that did not fit beside it */
    private Output statements(List<Migration> head, List<Statement> shown, int total, int findingsLeftOut) {
        Truncated.Cuts cuts = new Truncated.Cuts();
        int after = page.offset() + shown.size();
        if (after < total) {
            cuts.add("statements", shown.size(), total, call(Listing.STATEMENTS, after));
        }
        cuts.add("findings", 0, findingsLeftOut, call(Listing.FINDINGS, 0));
        return output(cuts, head, null, shown);
    }

    private Output output(Truncated.Cuts cuts, List<Migration> migrations, List<MigrationFinding> findings,
                          List<Statement> statements) {
        return new Output(next, summary, cuts.result(), database, migrations, findings, statements, audit);
    }

    /** The same call for another page: what truncated.how says. */
    private String call(Listing of, int offset) {
        return NextCall.of("show_sql", "version", version, "list", of.id(),
                "severity", severity == null ? null : severity.id(), "offset", offset,
                "limit", page.explicit() ? page.limit() : null);
    }

    private List<Finding> selected(List<Finding> findings) {
        return severity == null ? findings : findings.stream().filter(f -> f.severity() == severity).toList();
    }

    private Migration detailed(Reviewed r) {
        return migration(r, r.basis(), r.sql(), r.analysis().statements().stream().map(s -> statement(s, null, null)).toList(),
                selected(r.analysis().findings()));
    }

    /** The migration in one line: its detail is behind {@code show_sql {"version":V}}. */
    static Migration summary(Reviewed r) {
        AnalysisBasis b = r.basis();
        return migration(r, new AnalysisBasis(b.kind(), b.serverVersion(), null), null, null, null);
    }

    private static Migration migration(Reviewed r, AnalysisBasis basis, String sql, List<Statement> statements,
                                       List<Finding> findings) {
        return new Migration(r.version(), r.description(), r.path(), r.state(), r.checksum(),
                !r.analysis().needsNoTransaction(), r.analysis().statements().size(), counts(r.analysis().findings()),
                basis, sql, statements, findings);
    }

    /** The severities that occur, most severe first. */
    private static Map<String, Integer> counts(List<Finding> findings) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            int n = (int) findings.stream().filter(f -> f.severity() == s).count();
            if (n > 0) {
                out.put(s.id(), n);
            }
        }
        return out;
    }

    private static Statement statement(StatementAnalysis s, String text, List<Finding> findings) {
        return new Statement(s.index(), s.line(), s.kind(), s.targets(), s.lock(), s.rewrite(), s.transactional(), text,
                findings);
    }
}
