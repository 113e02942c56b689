package dev.safemigrate.analysis;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import dev.safemigrate.analysis.rules.MigrationRule;
import dev.safemigrate.analysis.rules.Rule;
import dev.safemigrate.analysis.rules.RuleSet;

/**
 * Text in, findings out; no database. Each statement is read twice: by the lexical classifier,
 * which knows PostgreSQL's forms, and by JSqlParser, which knows SQL structure; where they
 * disagree the more dangerous reading wins, and what neither understands is {@code opaque}.
 *
 * <p>The parser is skipped when the lexical reading is certain: closed-grammar DDL whose danger
 * is fully settled by keywords (CREATE INDEX, ALTER TABLE with known actions, DROP …) and plain
 * {@code INSERT … VALUES}. There JSqlParser cannot add a more dangerous reading (it fails on many
 * of those PostgreSQL forms anyway), and at ~35 µs per DDL statement and ~400 µs per INSERT it
 * would dominate analysis time. Function calls — the danger that can hide anywhere, VALUES
 * included — are found by a token scan of every statement, so the fast path misses none.
 *
 * <p>An analysis has two steps. Reading the text ({@link StatementReading} per statement: split, lex,
 * classify, parse where uncertain, find calls; plus the boundary check and the allow comments)
 * depends on the text alone and is most of the cost. Judging it (the rules, in statement order,
 * with what earlier statements created, changed or proved) is where catalog facts come in, and only
 * through the first target of a statement the migration has not created or changed. So the
 * catalog-aware analysis of SQL already read statically ({@link #read}, then {@link #withFacts})
 * judges again without reading again, and re-runs only the rules that
 * {@linkplain Rule#readsCatalogFacts() read facts} on the statements the facts reach; the other
 * rules are never given facts, so their static findings are the ones they would make.
 *
 * <p>The two steps interleave: statements are read {@value #CHUNK} at a time and judged at once,
 * and then their tokens are released (a rule that needs them later lexes the statement again), so
 * a 15 MB file never holds its millions of tokens at once: kept until the end, they made garbage
 * collection half of its analysis time ({@code StreamingAnalysisTest} compares with reading the
 * whole file first).
 *
 * <p>Reading a statement lexically depends on it alone, so a large file's statements are read on
 * the common fork-join pool when a core is idle; JSqlParser then reads the uncertain ones in
 * statement order on its single bounded worker, and the rules judge in statement order: the
 * result is the same as on one thread ({@code ParallelReadingTest}).
 */
public final class MigrationAnalyzer {

    private static final Set<String> CODE_BODIES = Set.of("do_block", "create_function", "create_procedure");

    private final LexicalClassifier classifier = new LexicalClassifier();
    private final BoundedParser parser;
    private final List<Rule> rules = RuleSet.statementRules();
    private final List<MigrationRule> migrationRules = RuleSet.migrationRules();
    private final BoundaryCheck boundaries = new BoundaryCheck();
    private final Set<String> ruleIds = Set.copyOf(RuleSet.ids());
    private final List<Rule> factRules = rules.stream().filter(Rule::readsCatalogFacts).toList();
    private final Set<String> factRuleIds = Set.copyOf(factRules.stream().flatMap(r -> r.ids().stream()).toList());
    /** each statement rule's position by the ids it reports; null if two rules share an id (then nothing is merged) */
    private final Map<String, Integer> ruleOrder = ruleOrder(rules);

    private static Map<String, Integer> ruleOrder(List<Rule> rules) {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            for (String id : rules.get(i).ids()) {
                if (order.put(id, i) != null) {
                    return null;
                }
            }
        }
        return Map.copyOf(order);
    }

    /** Below this many statements a file is read on one thread: handing out the work would cost more. */
    static final int PARALLEL_FROM = 2_000;

    /** How many statements are read before they are judged and their tokens released. */
    static final int CHUNK = 1_024;

    private final int parallelFrom;
    private final boolean onlyWithIdleCore;
    /** statements read at a time, their tokens released once judged; with {@link #streaming} false, the whole file, kept */
    private final int chunk;
    private final boolean streaming;

    public MigrationAnalyzer() {
        this(250);
    }

    /** @param parseTimeoutMillis how long JSqlParser may spend on one statement before it counts as not understood */
    public MigrationAnalyzer(long parseTimeoutMillis) {
        this(parseTimeoutMillis, PARALLEL_FROM, true, CHUNK);
    }

    /**
     * @param parallelFrom from how many statements a file's statements are read on several threads
     *                     (the common fork-join pool), whatever the load; {@code Integer.MAX_VALUE} for never
     */
    MigrationAnalyzer(long parseTimeoutMillis, int parallelFrom) {
        this(parseTimeoutMillis, parallelFrom, false, CHUNK);
    }

    /**
     * @param chunk how many statements are read before they are judged and their tokens released; 0 for
     *              the reference the streaming is tested against: the whole file read, then judged, every
     *              token kept
     */
    MigrationAnalyzer(long parseTimeoutMillis, int parallelFrom, int chunk) {
        this(parseTimeoutMillis, parallelFrom, false, chunk);
    }

    private MigrationAnalyzer(long parseTimeoutMillis, int parallelFrom, boolean onlyWithIdleCore, int chunk) {
        this.parser = new BoundedParser(parseTimeoutMillis);
        this.parallelFrom = parallelFrom;
        this.onlyWithIdleCore = onlyWithIdleCore;
        this.chunk = chunk;
        this.streaming = chunk > 0;
    }

    /**
     * Whether reading in parallel can pay: only when a core is idle. On a machine whose cores are all
     * busy (measured on 2 cores at load 13–17: 11.1 s against 7.1 s for 15 MB, and more CPU) the split
     * work waits for its slowest part and the collector for every thread.
     */
    private boolean parallel(int statements) {
        if (statements < parallelFrom) {
            return false;
        }
        if (!onlyWithIdleCore) {
            return true;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return cores > 1 && load >= 0 && load <= cores - 1;
    }

    /**
     * Analyses a migration without knowing which database it is for: every statement about a
     * database object (ALTER/COMMENT ON/GRANT … ON DATABASE) is then taken to be about another
     * database, and blocked.
     */
    public MigrationAnalysis analyze(String sql) {
        return analyze(sql, null);
    }

    /**
     * @param devDatabase the development database's name as PostgreSQL stores it (from the proven
     *                    identity), or null when not known
     */
    public MigrationAnalysis analyze(String sql, String devDatabase) {
        return analyze(sql, devDatabase, null);
    }

    /**
     * @param facts what the development database's catalog says about the tables the statements
     *              target, or null for a static analysis; the rules that know what to do with a
     *              column's current type or a table's size consult it
     */
    public MigrationAnalysis analyze(String sql, String devDatabase, CatalogFacts facts) {
        Judgement judgement = new Judgement(devDatabase, facts, null, null);
        return judgement.finish(readText(sql, judgement));
    }

    /**
     * The static analysis ({@link FirstReading#analysis()}, the same as {@link #analyze(String, String)}),
     * with what {@link #withFacts} needs to add catalog facts without reading the text again.
     */
    public FirstReading read(String sql, String devDatabase) {
        List<List<Finding>> ruleFindings = new ArrayList<>();
        Judgement judgement = new Judgement(devDatabase, null, null, ruleFindings);
        Text text = readText(sql, judgement);
        MigrationAnalysis analysis = judgement.finish(text);
        return new FirstReading(sql, devDatabase, text.statements(), text.boundaryFindings(), text.allows(), ruleFindings,
                analysis);
    }

    /**
     * The same as {@code analyze(first's sql, first's devDatabase, facts)}, from the first reading:
     * the text is not read again, and of the statement rules only those that read catalog facts run
     * again, on the statements the facts reach. {@code IncrementalAnalysisTest} compares the two.
     */
    public MigrationAnalysis withFacts(FirstReading first, CatalogFacts facts) {
        Text text = new Text(first.statements, first.boundaryFindings, first.allows);
        Judgement judgement = new Judgement(first.devDatabase, facts, first.ruleFindings, null);
        for (StatementReading s : text.statements()) {
            judgement.next(s);   // its tokens lexed again only if a rule that reads facts asks for them
        }
        return judgement.finish(text);
    }

    /** What the text alone says: each statement's reading, the boundary check, the allow comments. */
    private record Text(List<StatementReading> statements, List<Finding> boundaryFindings, List<AllowComment> allows) {}

    /**
     * Reads the text and has {@code judgement} judge each statement, in order. Statements are read a
     * chunk at a time and judged at once, and their tokens then released, so that a large file never
     * holds all its tokens at once (see {@link StatementTokens#release()}); the judging is the same,
     * since a statement's reading depends on it alone and the rules take statements in order.
     */
    private Text readText(String sql, Judgement judgement) {
        List<SqlStatement> split = SqlSplitter.split(sql);
        List<StatementReading> all = new ArrayList<>(split.size());
        boolean parallel = parallel(split.size());
        int step = streaming ? chunk : Math.max(1, split.size());
        for (int from = 0; from < split.size(); from += step) {
            for (StatementReading r : read(split.subList(from, Math.min(split.size(), from + step)), parallel)) {
                all.add(r);
                judgement.next(r);
            }
        }
        // Flyway and pgjdbc must split the file as we did
        return new Text(all, boundaries.check(sql, split), AllowComments.read(sql, split));
    }

    /** Each statement's reading: split, lex, classify, parse where uncertain, find calls. */
    private StatementReading[] read(List<SqlStatement> split, boolean parallel) {
        StatementReading[] read = new StatementReading[split.size()];
        StatementTokens[] tokens = new StatementTokens[read.length];
        Reading[] lexical = new Reading[read.length];
        // the lexical reading of a statement depends on it alone: a large file is read on every core when one is idle
        IntStream each = IntStream.range(0, read.length);
        (parallel ? each.parallel() : each).forEach(i -> {
            SqlStatement s = split.get(i);
            if (s.metaCommand()) {
                read[i] = metaCommand(s);
                return;
            }
            tokens[i] = StatementTokens.of(s);
            // a literal the server would reject leaves names unknown: not understood, whatever the parser makes of it
            lexical[i] = tokens[i].understood() ? classifier.read(tokens[i]) : Reading.opaque();
            if (lexical[i].certain() || !tokens[i].understood()) {
                read[i] = reading(s, tokens[i], lexical[i]);
            }
        });
        // JSqlParser where that reading is uncertain: in statement order, on its one bounded worker, since
        // a parse that does not stop when told times out every statement after it
        for (int i = 0; i < read.length; i++) {
            if (read[i] == null) {
                BoundedParser.Result parsed = parser.parse(split.get(i).text());
                Reading reading = parsed.timedOut() ? Reading.timedOut(lexical[i])
                        : Reading.reconcile(lexical[i], parsed.statement() == null ? null : ParsedReading.of(parsed.statement()));
                read[i] = reading(split.get(i), tokens[i], reading);
            }
        }
        return read;
    }

    /**
     * The rules over the statements in order, with what earlier statements created, changed or proved:
     * {@link #next} for each statement as soon as it is read, then {@link #finish} with the whole text.
     */
    private final class Judgement {

        private final String devDatabase;
        private final CatalogFacts facts;
        /** the static analysis's rule findings per statement, to keep where facts change nothing, or null to run every rule */
        private final List<List<Finding>> reuse;
        /** where to record each statement's rule findings (for {@link #withFacts}), or null */
        private final List<List<Finding>> ruleFindings;
        private final List<StatementContext> contexts = new ArrayList<>();
        private final Set<String> changedTables = new HashSet<>();
        private final List<List<Finding>> perStatement = new ArrayList<>();
        private final Set<String> newTables = new HashSet<>();
        private final Set<String> provenNotNull = new HashSet<>();
        private final Map<String, Set<String>> notValidChecks = new HashMap<>();
        private int index = 0;

        Judgement(String devDatabase, CatalogFacts facts, List<List<Finding>> reuse, List<List<Finding>> ruleFindings) {
            this.devDatabase = devDatabase;
            this.facts = facts;
            this.reuse = reuse;
            this.ruleFindings = ruleFindings;
        }

        /**
         * The statement rules on the next statement: the only step that needs its tokens, which are
         * released after it when streaming.
         */
        void next(StatementReading s) {
            StatementContext c = context(++index, s, newTables, provenNotNull, devDatabase, facts, changedTables);
            contexts.add(c);
            if (c.kind().startsWith("alter_table.") || c.kind().startsWith("drop_") || c.kind().equals("truncate")) {
                // the catalog shows these tables as they were before this statement, not as later ones find them
                c.reading().targets().forEach(t -> changedTables.add(t.substring(t.lastIndexOf('.') + 1)));
            }
            List<Finding> found = reuse == null ? ruleFindings(c) : reusedFindings(c, reuse.get(index - 1));
            if (ruleFindings != null) {
                ruleFindings.add(List.copyOf(found));
            }
            perStatement.add(found);
            // PG12+ sets NOT NULL without a scan only over a validated CHECK: one added NOT VALID proves
            // nothing until a VALIDATE CONSTRAINT of it
            if (c.kind().startsWith("alter_table.") && c.has("add_constraint.check")) {
                provenNotNull.addAll(NotNullChecks.in(c.tokens(), c.target()));
            } else if (c.kind().startsWith("alter_table.") && c.has("add_constraint.check.not_valid")) {
                notValidChecks.put(c.target() + "." + NotNullChecks.constraintName(c.tokens()), NotNullChecks.in(c.tokens(), c.target()));
            } else if (c.kind().startsWith("alter_table.") && c.has("validate_constraint")) {
                provenNotNull.addAll(notValidChecks.getOrDefault(c.target() + "." + NotNullChecks.constraintName(c.tokens()), Set.of()));
            }
            if (streaming) {
                s.tokens().release();
            }
        }

        /** The migration rules, the boundary findings and the allow comments over the statements judged. */
        MigrationAnalysis finish(Text text) {
            List<Finding> unplaced = new ArrayList<>();
            for (Finding f : text.boundaryFindings()) {
                (f.statement() <= perStatement.size() ? perStatement.get(f.statement() - 1) : unplaced).add(f);
            }
            for (MigrationRule r : migrationRules) {
                for (Finding f : r.check(contexts)) {
                    perStatement.get(f.statement() - 1).add(f);
                }
            }
            List<AllowComment> allows = text.allows();
            for (AllowComment a : allows) {
                if (a.statement() == 0) {   // after the last statement: it can accept nothing
                    int last = perStatement.size();
                    (last == 0 ? unplaced : perStatement.get(last - 1))
                            .add(AllowedFindings.refusal(Math.max(1, last), a, a.problem()));
                }
            }
            List<StatementAnalysis> statements = new ArrayList<>(contexts.size());
            List<Finding> all = new ArrayList<>(unplaced);
            boolean codeInstalled = false;
            for (StatementContext c : contexts) {
                List<Finding> found = perStatement.get(c.index() - 1);
                if (!allows.isEmpty()) {
                    found = new ArrayList<>(AllowedFindings.apply(c.index(),
                            allows.stream().filter(a -> a.statement() == c.index()).toList(), found, ruleIds));
                }
                found.sort(Comparator.comparing(Finding::severity));
                all.addAll(found);
                boolean executesCode = !c.metaCommand() && CodeExecution.executes(c.reading(), c.unknownCalls(), codeInstalled);
                codeInstalled |= CodeExecution.installsCode(c.reading());
                statements.add(new StatementAnalysis(c.index(), c.line(), c.text(), c.kind(), c.reading().targets(),
                        c.lock() == null ? null : c.lock().pgName(), c.rewrite(), c.transactional(), executesCode,
                        !c.metaCommand() && text.statements().get(c.index() - 1).returning(), found));
            }
            return new MigrationAnalysis(statements, all);
        }
    }

    /** A RETURNING at the statement's own level: one inside parentheses belongs to a WITH query or a subquery. */
    private static boolean returning(StatementTokens tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.depth() == 0 && t.isWord("returning")) {
                return true;
            }
        }
        return false;
    }

    /** Every statement rule, in order; a rule that does not read catalog facts is not given them. */
    private List<Finding> ruleFindings(StatementContext c) {
        List<Finding> found = new ArrayList<>();
        StatementContext withoutFacts = c.withoutFacts();
        for (Rule r : rules) {
            List<Finding> f = r.check(r.readsCatalogFacts() ? c : withoutFacts);
            if (!f.isEmpty()) {   // addAll copies even an empty list to an array: most rules find nothing in most statements
                found.addAll(f);
            }
        }
        return found;
    }

    /**
     * {@link #ruleFindings} from the static analysis's: a statement the facts do not reach has the same
     * context, so the same findings; one they reach gets the fact-reading rules' findings anew, merged
     * into the others in rule order (every finding's rule id names its rule: see the constructor).
     */
    private List<Finding> reusedFindings(StatementContext c, List<Finding> before) {
        if (c.targetFacts() == null) {
            return new ArrayList<>(before);
        }
        if (ruleOrder == null || !before.stream().allMatch(f -> ruleOrder.containsKey(f.rule()))) {
            return ruleFindings(c);
        }
        List<Finding> found = new ArrayList<>(before.size() + 2);
        for (Finding f : before) {
            if (!factRuleIds.contains(f.rule())) {
                found.add(f);
            }
        }
        for (Rule r : factRules) {
            found.addAll(r.check(c));
        }
        found.sort(Comparator.comparingInt(f -> ruleOrder.get(f.rule())));   // stable: each rule's own order is kept
        return found;
    }

    /**
     * Whether {@link #analyze(String, String, CatalogFacts)} with these facts can read anything the
     * static analysis of the same SQL did not: the facts reach a statement only through the table
     * it targets first (see {@code context}), so when the catalog knows none of those tables the
     * two analyses are the same, and a large migration need not be read twice.
     */
    public static boolean factsApply(MigrationAnalysis staticAnalysis, CatalogFacts facts) {
        for (StatementAnalysis s : staticAnalysis.statements()) {
            if (!s.targets().isEmpty() && facts.table(s.targets().get(0)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static StatementReading metaCommand(SqlStatement s) {
        // not SQL: psql would run it itself; it takes no lock and does not change the transaction mode
        Reading meta = new Reading("psql_meta_command", List.of(), Set.of(), true);
        return new StatementReading(s, new StatementTokens(List.of()), meta, null, false, true, Set.of(), Set.of(), false);
    }

    private static StatementReading reading(SqlStatement s, StatementTokens tokens, Reading reading) {
        Set<String> calls = Set.copyOf(tokens.calledFunctions(CODE_BODIES.contains(reading.kind())));
        Set<String> unknown = FunctionCalls.unknown(tokens, reading.kind());
        // kept until the whole file is judged: most statements call nothing, and an empty LinkedHashSet is 72 bytes
        return new StatementReading(s, tokens, reading, TableEffects.lock(reading, tokens), TableEffects.rewrites(reading, tokens),
                TableEffects.transactional(reading, tokens), calls, unknown.isEmpty() ? Set.of() : unknown, returning(tokens));
    }

    private StatementContext context(int index, StatementReading r, Set<String> newTables, Set<String> provenNotNull,
                                     String devDatabase, CatalogFacts facts, Set<String> changedTables) {
        SqlStatement s = r.statement();
        Reading reading = r.reading();
        if (reading.kind().equals("create_table") || reading.kind().equals("create_table_as")) {
            reading.targets().forEach(t -> newTables.add(t.substring(t.lastIndexOf('.') + 1)));
        }
        CatalogFacts.Table targetFacts = null;
        // the only way facts reach a statement: factsApply relies on it
        if (facts != null && !reading.targets().isEmpty()) {
            String target = reading.targets().get(0);
            String table = target.substring(target.lastIndexOf('.') + 1);
            if (!newTables.contains(table) && !changedTables.contains(table)) {
                targetFacts = facts.table(target).orElse(null);
            }
        }
        return new StatementContext(index, s.line(), s.text(), s.metaCommand(), r.tokens(), reading, r.lock(), r.rewrite(),
                r.transactional(), r.calls(), r.unknownCalls(), newTables, provenNotNull, devDatabase, targetFacts);
    }
}
