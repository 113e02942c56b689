package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Severity;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.HeldLock;
import dev.safemigrate.db.SchemaDiff;

/**
 * apply_to_dev's answer, fitted to what an agent can read. Pure: everything the call found in,
 * one result out. A small run is answered whole, as it always was. A large one (a fresh database
 * with a long history) is answered with counts and one line per migration, and every list it
 * leaves out is behind a call that pages it ({@code list}, {@code offset}, {@code limit}), so
 * nothing is lost: it moves behind a call.
 */
final class ApplyAnswer {

    /** The lists an answer can page, by the name the agent passes as {@code list}. */
    enum Section {
        AT_RISK("at_risk"), NOT_DRY_RUNNABLE("not_dry_runnable"), PENDING("pending"), APPLIED("applied"),
        FINDINGS("findings"), DATA_AT_RISK("data_at_risk"), STATEMENTS("statements"), SCHEMA_DIFF("schema_diff");

        final String id;

        Section(String id) {
            this.id = id;
        }

        static Section of(String id) {
            for (Section s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** One line per migration is small: a page of them is most of a default answer. */
    static final int PENDING_PAGE = 50;
    static final int LIST_PAGE = 50;

    /** What the agent asked to see: the whole answer, one list's page, one migration. */
    record View(Section list, String version, Severity severity, Page page) {
        static View whole() {
            return new View(null, null, null, new Page(0, PENDING_PAGE, false));
        }
    }

    /**
     * Everything the call found, in full.
     *
     * @param result the dry run's trace; for a real apply, the trace it was decided on
     * @param drift  the schema against the record of it after the last apply, fitted to its part; null when not read
     */
    record Facts(DatabaseIdentity database, boolean dryRun, List<ApplyToDevTool.Pending> pending, DryRunResult result,
                 TraceOrigin trace, List<ApplyToDevTool.Applied> applied, BackupTool.Backup backup,
                 List<MigrationFinding> findings, List<AtRisk> atRisk, String next, Truncated backupCut,
                 Drift.Fitted drift) {}

    /** One line per migration: what an agent needs to pick the one to look at. */
    record Line(int locksOnExisting, int rewrites, long rowsAtRisk, Map<String, Integer> findings) {}

    /** A statement whose own diff has more than four times this many entries shows this many of each kind. */
    private static final int STATEMENT_DIFF_ENTRIES = 20;

    private ApplyAnswer() {}

    /**
     * Each pending migration's one line from the trace: locks on relations that existed before
     * the dry run (the ones that block other sessions), tables rewritten, rows at risk, findings.
     */
    static Map<String, Line> lines(DryRunResult result, List<MigrationFinding> findings) {
        Set<String> created = createdRelations(result.schemaDiff());
        Map<String, Set<String>> locked = new LinkedHashMap<>();
        Map<String, Integer> rewrites = new LinkedHashMap<>();
        for (DryRunResult.TracedStatement s : result.statements()) {
            Set<String> relations = locked.computeIfAbsent(s.version(), v -> new HashSet<>());
            for (HeldLock l : s.newLocks()) {
                if (!created.contains(l.relation())) {
                    relations.add(l.relation());
                }
            }
            rewrites.merge(s.version(), s.rewrites().size(), Integer::sum);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (DryRunResult.DataAtRisk d : result.dataAtRisk()) {
            if (d.rows() > 0) {
                rows.merge(d.version(), d.rows(), Long::sum);
            }
        }
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (MigrationFinding f : findings) {
            counts.computeIfAbsent(f.migration(), v -> new LinkedHashMap<>()).merge(f.severity().id(), 1, Integer::sum);
        }
        Set<String> versions = new HashSet<>(locked.keySet());
        versions.addAll(counts.keySet());
        versions.addAll(rows.keySet());
        Map<String, Line> out = new LinkedHashMap<>();
        for (String v : versions) {
            out.put(v, new Line(locked.getOrDefault(v, Set.of()).size(), rewrites.getOrDefault(v, 0),
                    rows.getOrDefault(v, 0L), ordered(counts.getOrDefault(v, Map.of()))));
        }
        return out;
    }

    static ApplyToDevTool.Summary summary(Facts f) {
        DryRunResult r = f.result();
        int statements = f.pending().stream().mapToInt(ApplyToDevTool.Pending::statementCount).sum();
        if (r == null) {
            return new ApplyToDevTool.Summary(f.pending().size(), statements, null, null, 0, 0, 0, 0, 0, 0L,
                    f.atRisk().size(), 0, f.findings().size());
        }
        Set<String> created = createdRelations(r.schemaDiff());
        Set<String> locked = new HashSet<>();
        r.statements().forEach(s -> s.newLocks().stream().map(HeldLock::relation).filter(n -> !created.contains(n))
                .forEach(locked::add));
        long rows = r.dataAtRisk().stream().mapToLong(d -> Math.max(0, d.rows())).sum();
        SchemaDiff d = r.schemaDiff();
        return new ApplyToDevTool.Summary(f.pending().size(), statements, r.success(), r.statementsExecuted(),
                d.created().size(), d.dropped().size(), d.altered().size(), d.rewritten().size(), locked.size(), rows,
                f.atRisk().size(), r.notDryRunnable().size(), f.findings().size());
    }

    static ApplyToDevTool.Output answer(Facts f, View v) {
        Lists all = Lists.of(f, v);
        ApplyToDevTool.Summary summary = summary(f);
        FindingCounts counts = FindingCounts.of(v.version() == null ? f.findings() : all.findings());
        int budget = v.page().budget();
        int reserve = 0;
        ApplyToDevTool.Output out = null;
        // the lists are fitted first and the note of what they left out added after: room is kept for it
        for (int attempt = 0; attempt < 3; attempt++) {
            out = fit(f, v, all, summary, counts, budget - reserve);
            if (Budget.fits(out, budget)) {
                return out;
            }
            reserve = out.truncated() == null ? reserve + 500 : ResultJson.length(out.truncated()) + 100;
        }
        return out;
    }

    private static ApplyToDevTool.Output fit(Facts f, View v, Lists all, ApplyToDevTool.Summary summary,
                                             FindingCounts counts, int budget) {
        List<Section> order = order(f, v);
        Map<Section, Integer> shown = new LinkedHashMap<>();
        order.forEach(s -> shown.put(s, 0));
        for (Section s : order) {
            int room = room(all, s, v);
            if (whole(s, v)) {
                shown.put(s, room);
                if (!Budget.fits(build(f, v, all, summary, counts, shown, null), budget)) {
                    shown.put(s, 0);
                }
            } else {
                shown.put(s, Budget.most(room, budget, n -> {
                    shown.put(s, n);
                    return build(f, v, all, summary, counts, shown, null);
                }));
            }
        }
        Truncated.Cuts cuts = new Truncated.Cuts();
        for (Section s : order) {
            int from = Math.min(offset(s, v), all.size(s));
            if (from + shown.get(s) < all.size(s)) {
                cuts.add(s.id, shown.get(s), all.size(s), how(f, v, s, from + shown.get(s)));
            }
        }
        if (f.backupCut() != null) {
            cuts.add(f.backupCut().of(), f.backupCut().shown(), f.backupCut().total(), f.backupCut().how());
        }
        if (f.drift() != null && f.drift().cut() != null) {
            cuts.add(f.drift().cut().of(), f.drift().cut().shown(), f.drift().cut().total(), f.drift().cut().how());
        }
        if (all.clippedDiffs() > 0 && shown.getOrDefault(Section.STATEMENTS, 0) > 0) {
            cuts.add("statement_diffs", 0, all.clippedDiffs(), how(f, v, Section.SCHEMA_DIFF, 0));
        }
        return build(f, v, all, summary, counts, shown, cuts.result());
    }

    /**
     * What the answer is filled with, most decisive first. Asked for a list, only it; for one
     * migration, all of its lists; otherwise what a person must decide on and the one-line
     * migrations first, then the long lists only if they fit whole.
     */
    private static List<Section> order(Facts f, View v) {
        if (v.list() != null) {
            return List.of(v.list());
        }
        List<Section> out = new ArrayList<>(List.of(Section.AT_RISK, Section.NOT_DRY_RUNNABLE));
        if (!f.dryRun()) {
            out.add(Section.APPLIED);
        }
        out.add(Section.PENDING);
        out.addAll(List.of(Section.FINDINGS, Section.DATA_AT_RISK, Section.STATEMENTS, Section.SCHEMA_DIFF));
        if (!f.dryRun()) {
            out.remove(Section.STATEMENTS);
            out.remove(Section.DATA_AT_RISK);
        }
        return out;
    }

    /** In the whole answer a long list is shown whole or not at all: a summary, never the head of a dump. */
    private static boolean whole(Section s, View v) {
        if (v.list() != null) {
            return false;
        }
        return switch (s) {
            case FINDINGS, DATA_AT_RISK, STATEMENTS -> v.version() == null;
            case SCHEMA_DIFF -> true;
            default -> false;
        };
    }

    /** The list the call pages: the one asked for, or in the whole answer the one-line migrations. */
    private static boolean paged(Section s, View v) {
        return s == v.list() || (v.list() == null && s == Section.PENDING);
    }

    private static int offset(Section s, View v) {
        return paged(s, v) ? v.page().offset() : 0;
    }

    private static int room(Lists all, Section s, View v) {
        int total = all.size(s);
        return paged(s, v) ? v.page().room(total) : total;
    }

    private static String how(Facts f, View v, Section s, int offset) {
        if (!f.dryRun()) {
            return switch (s) {
                case APPLIED, PENDING -> NextCall.of("status", "list", "migrations");
                default -> "the dry run before this apply listed it: call apply_to_dev with dry_run before the next apply";
            };
        }
        return NextCall.of("apply_to_dev", "dry_run", true, "target_version", null, "list", s.id, "version", v.version(),
                "severity", s == Section.FINDINGS && v.severity() != null ? v.severity().id() : null,
                "offset", offset == 0 ? null : offset, "limit", v.page().explicit() && s == v.list() ? v.page().limit() : null);
    }

    private static ApplyToDevTool.Output build(Facts f, View v, Lists all, ApplyToDevTool.Summary summary,
                                               FindingCounts counts, Map<Section, Integer> shown, Truncated truncated) {
        List<AtRisk> atRisk = shownOf(Section.AT_RISK, all.atRisk(), v, shown);
        List<ApplyToDevTool.Pending> pending = shownOf(Section.PENDING, all.pending(), v, shown);
        List<ApplyToDevTool.Applied> applied = shownOf(Section.APPLIED, all.applied(), v, shown);
        List<MigrationFinding> findings = shownOf(Section.FINDINGS, all.findings(), v, shown);
        List<DryRunResult.TracedStatement> statements = shownOf(Section.STATEMENTS, all.statements(), v, shown);
        List<DryRunResult.Skipped> skipped = shownOf(Section.NOT_DRY_RUNNABLE, all.notDryRunnable(), v, shown);
        List<DryRunResult.DataAtRisk> data = shownOf(Section.DATA_AT_RISK, all.dataAtRisk(), v, shown);
        List<DiffEntry> diff = shownOf(Section.SCHEMA_DIFF, all.schemaDiff(), v, shown);
        SchemaDiff schemaDiff = diff == null || (diff.isEmpty() && all.size(Section.SCHEMA_DIFF) > 0) ? null : DiffEntry.join(diff);
        DryRunResult r = f.result();
        ApplyToDevTool.DryRunView dry = !f.dryRun() || r == null ? null
                : new ApplyToDevTool.DryRunView(r.success(), r.statementsExecuted(), clipped(r.failure()), statements,
                skipped, schemaDiff, data);
        return new ApplyToDevTool.Output(atRisk, f.next(), summary, counts, truncated, f.drift() == null ? null : f.drift().view(),
                f.database(),
                f.dryRun(), pending,
                dry, f.trace(), f.dryRun() ? List.of() : applied,
                f.dryRun() ? null : schemaDiff, f.backup(), findings, f.findings());
    }

    /** The part of one list the answer shows; absent, not empty, when it is left out: an empty list says there is none. */
    private static <T> List<T> shownOf(Section s, List<T> items, View v, Map<Section, Integer> shown) {
        Integer n = shown.get(s);
        if (n == null || (n == 0 && !items.isEmpty() && s != v.list())) {
            return null;
        }
        int from = Math.min(offset(s, v), items.size());
        return items.subList(from, from + n);
    }

    private static DryRunResult.Failure clipped(DryRunResult.Failure failure) {
        if (failure == null) {
            return null;
        }
        return new DryRunResult.Failure(failure.version(), failure.file(), failure.index(), failure.line(),
                failure.sqlstate(), Budget.clip(failure.message(), 1_500), failure.position(),
                Budget.clip(failure.statement(), 1_500));
    }

    /** Relations the run created: no other session can see them, so their locks block nobody. */
    private static Set<String> createdRelations(SchemaDiff diff) {
        Set<String> out = new HashSet<>();
        for (String c : diff.created()) {
            if (!c.startsWith("column ")) {
                out.add(c.substring(c.lastIndexOf(' ') + 1));
            }
        }
        return out;
    }

    private static Map<String, Integer> ordered(Map<String, Integer> bySeverity) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            Integer n = bySeverity.get(s.id());
            if (n != null) {
                out.put(s.id(), n);
            }
        }
        return out;
    }

    /** One entry of a schema diff, so that a diff can be paged like any list and put together again. */
    record DiffEntry(int kind, String text) {
        static List<DiffEntry> of(SchemaDiff d) {
            List<DiffEntry> out = new ArrayList<>();
            d.created().forEach(t -> out.add(new DiffEntry(0, t)));
            d.dropped().forEach(t -> out.add(new DiffEntry(1, t)));
            d.altered().forEach(t -> out.add(new DiffEntry(2, t)));
            d.rewritten().forEach(t -> out.add(new DiffEntry(3, t)));
            return out;
        }

        static SchemaDiff join(List<DiffEntry> entries) {
            List<List<String>> kinds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            entries.forEach(e -> kinds.get(e.kind()).add(e.text()));
            return new SchemaDiff(kinds.get(0), kinds.get(1), kinds.get(2), kinds.get(3));
        }
    }

    /** Every list of the answer, in full, narrowed to one migration or one severity when asked. */
    private record Lists(List<AtRisk> atRisk, List<DryRunResult.Skipped> notDryRunnable,
                         List<ApplyToDevTool.Pending> pending, List<ApplyToDevTool.Applied> applied,
                         List<MigrationFinding> findings, List<DryRunResult.DataAtRisk> dataAtRisk,
                         List<DryRunResult.TracedStatement> statements, List<DiffEntry> schemaDiff,
                         int clippedDiffs) {

        static Lists of(Facts f, View v) {
            String version = v.version();
            DryRunResult r = f.result();
            List<MigrationFinding> findings = f.findings().stream()
                    .filter(x -> version == null || version.equals(x.migration()))
                    .filter(x -> v.severity() == null || x.severity() == v.severity()).toList();
            if (v.list() == Section.FINDINGS) {
                // paged most severe first, so the first page is the one to read; stable, so pages never overlap
                findings = findings.stream().sorted(FindingCounts.MOST_SEVERE).toList();
            }
            List<DryRunResult.TracedStatement> statements = r == null ? List.of()
                    : r.statements().stream().filter(s -> version == null || version.equals(s.version())).toList();
            SchemaDiff diff = r == null ? new SchemaDiff(List.of(), List.of(), List.of(), List.of())
                    : version == null ? r.schemaDiff() : union(statements);
            return new Lists(
                    f.atRisk().stream().filter(a -> version == null || version.equals(a.migration())).toList(),
                    r == null ? List.of() : r.notDryRunnable().stream()
                            .filter(s -> version == null || version.equals(s.version())).toList(),
                    f.pending().stream().filter(p -> version == null || version.equals(p.version())).toList(),
                    f.applied(), findings,
                    r == null ? List.of() : r.dataAtRisk().stream()
                            .filter(d -> version == null || version.equals(d.version())).toList(),
                    clipped(statements), DiffEntry.of(diff), (int) statements.stream()
                            .filter(s -> DiffEntry.of(s.diff()).size() > 4 * STATEMENT_DIFF_ENTRIES).count());
        }

        /**
         * A statement's own diff can be larger than a page (a DO block that creates hundreds of
         * tables): in a statement it is cut to its head, and the whole is in list schema_diff.
         */
        private static List<DryRunResult.TracedStatement> clipped(List<DryRunResult.TracedStatement> statements) {
            return statements.stream().map(s -> DiffEntry.of(s.diff()).size() <= 4 * STATEMENT_DIFF_ENTRIES ? s
                    : new DryRunResult.TracedStatement(s.version(), s.index(), s.line(), s.rowsAffected(), s.durationMs(),
                    s.newLocks(), s.rewrites(), new SchemaDiff(head(s.diff().created()), head(s.diff().dropped()),
                    head(s.diff().altered()), head(s.diff().rewritten())))).toList();
        }

        private static SchemaDiff union(List<DryRunResult.TracedStatement> statements) {
            List<String> created = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            List<String> altered = new ArrayList<>();
            List<String> rewritten = new ArrayList<>();
            for (DryRunResult.TracedStatement s : statements) {
                created.addAll(s.diff().created());
                dropped.addAll(s.diff().dropped());
                altered.addAll(s.diff().altered());
                rewritten.addAll(s.diff().rewritten());
            }
            return new SchemaDiff(created, dropped, altered, rewritten);
        }

        List<?> items(Section s) {
            return switch (s) {
                case AT_RISK -> atRisk;
                case NOT_DRY_RUNNABLE -> notDryRunnable;
                case PENDING -> pending;
                case APPLIED -> applied;
                case FINDINGS -> findings;
                case DATA_AT_RISK -> dataAtRisk;
                case STATEMENTS -> statements;
                case SCHEMA_DIFF -> schemaDiff;
            };
        }

        int size(Section s) {
            return items(s).size();
        }

        private static List<String> head(List<String> entries) {
            return entries.size() <= STATEMENT_DIFF_ENTRIES ? entries : entries.subList(0, STATEMENT_DIFF_ENTRIES);
        }
    }
}
