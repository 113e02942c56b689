package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.migrations.MigrationState;

/**
 * status's facts fitted to one result ({@link Budget}): the overview an agent reads first, with the
 * lists cut to what fits and the cuts named in {@code truncated}, and the pages behind it that show
 * every item of each list exactly once.
 */
final class StatusView {

    /** The applied migrations the overview shows besides the count: the highest versions. */
    static final int LAST_APPLIED = 5;
    /** Items on a page without an explicit limit, fewer when they do not fit the budget. */
    static final int PAGE = 100;
    /**
     * The longest problem shown. A problem is a sentence or two; only a message quoting something
     * unbounded (an exception's text) is longer, and one item must always fit on a page.
     */
    static final int PROBLEM = 2_000;
    /** Names of the part of the overview each cut is about, as in the result. */
    private static final String MIGRATIONS = "migrations";
    private static final String PROBLEMS = "validation.problems";
    private static final String SCHEMAS = "schemas";

    /** Those migrations resolve names in first, then the largest: where an agent looks for its tables. */
    static final Comparator<SchemaCatalog.SchemaSummary> SCHEMA_ORDER = Comparator
            .comparing((SchemaCatalog.SchemaSummary s) -> !s.inSearchPath())
            .thenComparing(Comparator.comparingInt(SchemaCatalog.SchemaSummary::tables).reversed())
            .thenComparing(SchemaCatalog.SchemaSummary::name);

    private StatusView() {}

    /**
     * Every list first gets the same number of items, as many as fit; what room is left goes to the
     * problems first (they decide the next step), then the migrations not applied, then the schemas.
     */
    static StatusTool.Output overview(StatusTool.Facts f) {
        Overview o = new Overview(f);
        int most = Math.max(o.notApplied.size(), Math.max(o.problems.size(), o.schemas.size()));
        int even = Budget.most(most, Budget.RESULT, n -> o.build(n, n, n));
        int problems = atLeast(even, o.problems.size(), n -> o.build(even, n, even));
        int migrations = atLeast(even, o.notApplied.size(), n -> o.build(n, problems, even));
        int schemas = atLeast(even, o.schemas.size(), n -> o.build(migrations, problems, n));
        return o.build(migrations, problems, schemas);
    }

    /** The most items of one list, at least {@code floor}, that fit with the other lists as {@code build} fixes them. */
    private static int atLeast(int floor, int total, IntFunction<StatusTool.Output> build) {
        if (floor >= total) {
            return total;
        }
        return floor + Budget.most(total - floor, Budget.RESULT, n -> build.apply(floor + n));
    }

    /** The facts, sorted once, from which overviews with more or fewer items are built. */
    private static final class Overview {
        private final StatusTool.Facts facts;
        /** Positions in the version-ordered list: the migrations not applied, and the last applied. */
        private final List<Integer> notApplied = new ArrayList<>();
        private final List<Integer> lastApplied = new ArrayList<>();
        private final List<String> problems;
        private final List<SchemaCatalog.SchemaSummary> schemas;
        private final StatusTool.Summary summary;
        private final String next;
        /** Fitted once: the drift's part of the overview does not change with the lists. */
        private final Drift.Fitted drift;

        Overview(StatusTool.Facts f) {
            facts = f;
            List<StatusTool.Migration> all = f.migrations();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).state() != MigrationState.APPLIED) {
                    notApplied.add(i);
                }
            }
            for (int i = all.size() - 1; i >= 0 && lastApplied.size() < LAST_APPLIED; i--) {
                if (all.get(i).state() == MigrationState.APPLIED) {
                    lastApplied.add(0, i);
                }
            }
            problems = problems(f);
            schemas = schemas(f);
            summary = summarize(all);
            drift = f.drift() == null ? new Drift.Fitted(null, null) : f.drift().fit(Drift.CHARS, null);
            next = next(f.trust(), f.database(), summary, !problems.isEmpty(), f.drift());
        }

        /** @return the overview with the first {@code m} migrations not applied, {@code p} problems, {@code s} schemas */
        StatusTool.Output build(int m, int p, int s) {
            int migrations = Math.min(m, notApplied.size());
            int shownProblems = Math.min(p, problems.size());
            int shownSchemas = Math.min(s, schemas.size());
            // in version order, as the full list is paged
            SortedSet<Integer> positions = new TreeSet<>(notApplied.subList(0, migrations));
            positions.addAll(lastApplied);
            List<StatusTool.Migration> shown = positions.stream().map(facts.migrations()::get).toList();
            Truncated.Cuts cuts = new Truncated.Cuts()
                    .add(MIGRATIONS, shown.size(), facts.migrations().size(), migrationsHow(migrations))
                    .add(PROBLEMS, shownProblems, problems.size(), how(StatusTool.ListName.PROBLEMS, shownProblems))
                    .add(SCHEMAS, shownSchemas, schemas.size(), how(StatusTool.ListName.SCHEMAS, shownSchemas));
            if (drift.cut() != null) {
                cuts.add(drift.cut().of(), drift.cut().shown(), drift.cut().total(), drift.cut().how());
            }
            return new StatusTool.Output(next, summary, cuts.result(), facts.trust(), drift.view(), facts.database(), facts.migrationsDir(), shown,
                    new StatusTool.Validation(problems.isEmpty(), problems.subList(0, shownProblems)),
                    schemas.subList(0, shownSchemas), facts.lastBackup(), facts.policy());
        }

        /**
         * Where the first migration not applied that is left out is, when one is; otherwise the
         * whole list from the start (only older applied ones are left out).
         */
        private String migrationsHow(int shownNotApplied) {
            return shownNotApplied < notApplied.size()
                    ? how(StatusTool.ListName.MIGRATIONS, notApplied.get(shownNotApplied))
                    : how(StatusTool.ListName.MIGRATIONS, 0);
        }
    }

    private static String how(StatusTool.ListName list, int offset) {
        return NextCall.of("status", "list", list.id(), "offset", offset == 0 ? null : offset);
    }

    static StatusTool.ListPage page(StatusTool.Facts f, StatusTool.ListName list, Page page) {
        DatabaseIdentity d = f.database();
        return switch (list) {
            case MIGRATIONS -> fit(list, page, f.migrations(), null, (items, cut) ->
                    new StatusTool.ListPage(list, page.offset(), f.migrations().size(), cut, null, d, items, null, null, null, null));
            case PROBLEMS -> {
                List<String> problems = problems(f);
                yield fit(list, page, problems, null, (items, cut) ->
                        new StatusTool.ListPage(list, page.offset(), problems.size(), cut, null, d, null, items, null, null, null));
            }
            case SCHEMAS -> {
                List<SchemaCatalog.SchemaSummary> schemas = schemas(f);
                yield fit(list, page, schemas, null, (items, cut) ->
                        new StatusTool.ListPage(list, page.offset(), schemas.size(), cut, null, d, null, null, items, null, null));
            }
            case DRIFT -> {
                List<String> entries = f.drift() == null ? List.of() : f.drift().entries();
                yield fit(list, page, entries, null, (items, cut) ->
                        new StatusTool.ListPage(list, page.offset(), entries.size(), cut, null, d, null, null, null, null, items));
            }
            case BACKUP_TABLES -> throw new IllegalArgumentException("backup_tables is read from a manifest: backupTables");
        };
    }

    /** The problems as the overview and the pages show them, in the order found. */
    private static List<String> problems(StatusTool.Facts f) {
        return f.problems().stream().map(p -> Budget.clip(p, PROBLEM)).toList();
    }

    /** The schemas in the order the overview and the pages show them. */
    private static List<SchemaCatalog.SchemaSummary> schemas(StatusTool.Facts f) {
        return f.schemas().stream().sorted(SCHEMA_ORDER).toList();
    }

    static StatusTool.ListPage backupTables(BackupManifest m, Page page) {
        StatusTool.ListName list = StatusTool.ListName.BACKUP_TABLES;
        return fit(list, page, m.tables(), m.file(), (items, cut) ->
                new StatusTool.ListPage(list, page.offset(), m.tables().size(), cut, m.file(), null, null, null, null, items, null));
    }

    /** The page with as many of its items as fit; when more follow, {@code truncated} is the call for the next page. */
    private static <T> StatusTool.ListPage fit(StatusTool.ListName list, Page page, List<T> all, String backup,
                                               BiFunction<List<T>, Truncated, StatusTool.ListPage> build) {
        return Budget.largest(page.room(all.size()), page.budget(), n -> {
            List<T> items = page.slice(all, n);
            int next = page.offset() + items.size();
            Truncated more = next >= all.size() ? null : new Truncated(items.size(), all.size(),
                    nextPage(list, backup, next, page.explicit() ? page.limit() : null), list.id(), null);
            return build.apply(items, more);
        });
    }

    /** @param limit the page size the agent asked for, so the next page has the same budget; null for the default */
    static String nextPage(StatusTool.ListName list, String backup, int offset, Integer limit) {
        return NextCall.of("status", "list", list.id(), "backup", backup, "offset", offset, "limit", limit);
    }

    private static StatusTool.Summary summarize(List<StatusTool.Migration> migrations) {
        int applied = 0, pending = 0, failed = 0, other = 0;
        for (StatusTool.Migration m : migrations) {
            switch (m.state()) {
                case APPLIED -> applied++;
                case PENDING -> pending++;
                case FAILED -> failed++;
                default -> other++;
            }
        }
        return new StatusTool.Summary(applied, pending, failed, other);
    }

    /**
     * What the agent does next: a person's problem first, since every write waits for it; settings no
     * person approved first of all, since they also decide which database this is; then a schema
     * changed outside safemigrate, since the next apply asks a person about it.
     */
    static String next(StatusTool.Trust trust, DatabaseIdentity d, StatusTool.Summary s, boolean problems, Drift drift) {
        if (trust != null && !trust.allowsWrites()) {
            return "apply_to_dev and backup refuse (CONFIG_NOT_TRUSTED): "
                    + (trust.state().equals("changed") ? "the settings differ from what a person approved"
                    : "no person has approved these settings yet") + " (see trust). Show this to your user; a "
                    + "person must approve them at a terminal: " + trust.command() + ". status, show_sql and "
                    + "create_migration still work.";
        }
        String next = next(d, s, problems);
        if (!d.verified() || drift == null || !drift.changed()) {
            return next;
        }
        return "The schema changed outside safemigrate since its last apply (drift): show drift to your user; "
                + "apply_to_dev asks them before it runs on it. " + next;
    }

    static String next(DatabaseIdentity d, StatusTool.Summary s, boolean problems) {
        if (!d.verified()) {
            return "Not the development database: apply_to_dev and backup refuse it. Show database.problems to your "
                    + "user; a person must fix [dev] in safemigrate.toml or the database itself.";
        }
        if (problems) {
            return "Show validation.problems to your user: apply_to_dev refuses until a person resolves them"
                    + (s.failed() > 0 ? " (a failed migration left part of its work in the database)" : "") + ".";
        }
        if (s.pending() > 0) {
            return NextCall.of("show_sql") + " then " + NextCall.of("apply_to_dev", "dry_run", true);
        }
        return "Up to date. To change the schema: " + NextCall.of("create_migration", "name", "<slug>", "sql", "<SQL>");
    }

    /** A few lines for a person, never a listing: under about 1,000 characters whatever the history. */
    static String text(StatusTool.Output o) {
        DatabaseIdentity d = o.database();
        StatusTool.Summary s = o.summary();
        StringBuilder sb = new StringBuilder();
        sb.append("Database ").append(Budget.clip(d.name(), 60)).append(" on ").append(Budget.clip(d.host(), 60))
                .append(':').append(d.port()).append(" as ").append(Budget.clip(d.user(), 60));
        sb.append(d.verified() ? " — verified development database.\n"
                : " — NOT writable: " + Budget.clip(String.join("; ", d.problems()), 200) + "\n");
        sb.append("Migrations: ").append(s.applied()).append(" applied, ").append(s.pending()).append(" pending, ")
                .append(s.failed()).append(" failed").append(s.other() > 0 ? ", " + s.other() + " other" : "").append(".\n");
        if (s.failed() > 0) {
            sb.append("At risk: ").append(s.failed()).append(" failed migration(s) may have left part of their work in the "
                    + "database.\n");
        }
        int problems = total(o, PROBLEMS, o.validation().problems().size());
        if (problems > 0) {
            sb.append("Validation: ").append(problems).append(problems == 1 ? " problem: " : " problems, first: ")
                    .append(Budget.clip(o.validation().problems().get(0), 160)).append('\n');
        }
        int schemas = total(o, SCHEMAS, o.schemas().size());
        sb.append("Schemas: ").append(schemas);
        if (!o.schemas().isEmpty()) {
            SchemaCatalog.SchemaSummary first = o.schemas().get(0);
            sb.append(" (").append(Budget.clip(first.name(), 40)).append(": ").append(first.tables()).append(" tables")
                    .append(first.inSearchPath() ? "" : ", not in search_path").append(')');
        }
        sb.append("; search_path ").append(Budget.clip(d.searchPath(), 80)).append('\n');
        if (o.trust() != null && !o.trust().allowsWrites()) {
            sb.append("Settings NOT approved (").append(o.trust().state()).append(o.trust().changed() == null ? ""
                    : ": " + Budget.clip(String.join(", ", o.trust().changed()), 200)).append("): writes wait for ")
                    .append(o.trust().command()).append('\n');
        }
        sb.append(driftText(o.drift()));
        sb.append(o.lastBackup() == null ? "No backup yet.\n"
                : "Last backup: " + o.lastBackup().file() + " at " + o.lastBackup().createdAt() + ".\n");
        sb.append("Next: ").append(o.next());
        return sb.toString();
    }

    /** One line for a person: whether the schema changed outside safemigrate. */
    static String driftText(Drift.View drift) {
        if (drift == null) {
            return "";
        }
        return switch (drift.state()) {
            case NONE -> "Drift: none since " + drift.since() + ".\n";
            case NO_BASELINE -> "Drift: " + Budget.clip(drift.note(), 200) + ".\n";
            case CHANGED -> "Drift: " + (drift.counts().created() + drift.counts().dropped() + drift.counts().altered())
                    + " object(s) changed outside safemigrate since " + drift.since() + " (" + drift.counts().created()
                    + " created, " + drift.counts().dropped() + " dropped, " + drift.counts().altered()
                    + " altered); likely cause: " + Budget.clip(drift.likelyCause(), 200) + ".\n";
        };
    }

    static String text(StatusTool.ListPage p) {
        int shown = p.shown();
        String items = shown == 0 ? "none" : "items " + (p.offset() + 1) + "–" + (p.offset() + shown);
        return p.list().id() + (p.backup() == null ? "" : " of " + p.backup()) + ": " + items + " of " + p.total() + "."
                + (p.truncated() == null ? "" : " Next page: " + p.truncated().how());
    }

    /** How many the list named {@code of} holds: the cut's total, or all shown. */
    private static int total(StatusTool.Output o, String of, int shown) {
        Truncated t = o.truncated();
        if (t == null) {
            return shown;
        }
        if (t.of().equals(of)) {
            return t.total();
        }
        return t.also() == null ? shown
                : t.also().stream().filter(a -> a.of().equals(of)).mapToInt(Truncated::total).findFirst().orElse(shown);
    }
}
