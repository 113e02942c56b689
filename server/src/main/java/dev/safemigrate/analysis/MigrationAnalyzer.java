package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 */
public final class MigrationAnalyzer {

    private static final Set<String> CODE_BODIES = Set.of("do_block", "create_function", "create_procedure");

    private final LexicalClassifier classifier = new LexicalClassifier();
    private final BoundedParser parser;
    private final List<Rule> rules = RuleSet.statementRules();
    private final List<MigrationRule> migrationRules = RuleSet.migrationRules();
    private final BoundaryCheck boundaries = new BoundaryCheck();
    private final Set<String> ruleIds = Set.copyOf(RuleSet.ids());

    public MigrationAnalyzer() {
        this(250);
    }

    /** @param parseTimeoutMillis how long JSqlParser may spend on one statement before it counts as not understood */
    public MigrationAnalyzer(long parseTimeoutMillis) {
        this.parser = new BoundedParser(parseTimeoutMillis);
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
        List<StatementContext> contexts = new ArrayList<>();
        Set<String> changedTables = new HashSet<>();
        List<List<Finding>> perStatement = new ArrayList<>();
        Set<String> newTables = new HashSet<>();
        Set<String> provenNotNull = new HashSet<>();
        java.util.Map<String, Set<String>> notValidChecks = new java.util.HashMap<>();
        int index = 0;
        List<SqlStatement> split = SqlSplitter.split(sql);
        for (SqlStatement s : split) {
            StatementContext c = context(++index, s, newTables, provenNotNull, devDatabase, facts, changedTables);
            contexts.add(c);
            if (c.kind().startsWith("alter_table.") || c.kind().startsWith("drop_") || c.kind().equals("truncate")) {
                // the catalog shows these tables as they were before this statement, not as later ones find them
                c.reading().targets().forEach(t -> changedTables.add(t.substring(t.lastIndexOf('.') + 1)));
            }
            List<Finding> found = new ArrayList<>();
            for (Rule r : rules) {
                found.addAll(r.check(c));
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
        }
        List<Finding> unplaced = new ArrayList<>();
        for (Finding f : boundaries.check(sql, split)) {   // Flyway and pgjdbc must split the file as we did
            (f.statement() <= perStatement.size() ? perStatement.get(f.statement() - 1) : unplaced).add(f);
        }
        for (MigrationRule r : migrationRules) {
            for (Finding f : r.check(contexts)) {
                perStatement.get(f.statement() - 1).add(f);
            }
        }
        List<AllowComment> allows = AllowComments.read(sql, split);
        for (AllowComment a : allows) {
            if (a.statement() == 0) {   // after the last statement: it can accept nothing
                int last = perStatement.size();
                (last == 0 ? unplaced : perStatement.get(last - 1))
                        .add(AllowedFindings.refusal(Math.max(1, last), a, a.problem()));
            }
        }
        List<StatementAnalysis> statements = new ArrayList<>();
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
                    c.lock() == null ? null : c.lock().pgName(), c.rewrite(), c.transactional(), executesCode, found));
        }
        return new MigrationAnalysis(statements, all);
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

    private StatementContext context(int index, SqlStatement s, Set<String> newTables, Set<String> provenNotNull,
                                     String devDatabase, CatalogFacts facts, Set<String> changedTables) {
        if (s.metaCommand()) {
            // not SQL: psql would run it itself; it takes no lock and does not change the transaction mode
            Reading meta = new Reading("psql_meta_command", List.of(), Set.of(), true);
            return new StatementContext(index, s.line(), s.text(), true, new StatementTokens(List.of()), meta, null,
                    false, true, Set.of(), Set.of(), newTables, provenNotNull, devDatabase, null);
        }
        StatementTokens tokens = StatementTokens.of(s);
        // a literal the server would reject leaves names unknown: not understood, whatever the parser makes of it
        Reading lexical = tokens.understood() ? classifier.read(tokens) : Reading.opaque();
        Reading reading = lexical;
        if (!lexical.certain() && tokens.understood()) {
            BoundedParser.Result parsed = parser.parse(s.text());
            reading = parsed.timedOut() ? Reading.timedOut(lexical)
                    : Reading.reconcile(lexical, parsed.statement() == null ? null : ParsedReading.of(parsed.statement()));
        }
        if (reading.kind().equals("create_table") || reading.kind().equals("create_table_as")) {
            reading.targets().forEach(t -> newTables.add(t.substring(t.lastIndexOf('.') + 1)));
        }
        Set<String> calls = tokens.calledFunctions(CODE_BODIES.contains(reading.kind()));
        CatalogFacts.Table targetFacts = null;
        // the only way facts reach a statement: factsApply relies on it
        if (facts != null && !reading.targets().isEmpty()) {
            String target = reading.targets().get(0);
            String table = target.substring(target.lastIndexOf('.') + 1);
            if (!newTables.contains(table) && !changedTables.contains(table)) {
                targetFacts = facts.table(target).orElse(null);
            }
        }
        return new StatementContext(index, s.line(), s.text(), false, tokens, reading, TableEffects.lock(reading, tokens),
                TableEffects.rewrites(reading, tokens), TableEffects.transactional(reading, tokens), calls,
                FunctionCalls.unknown(tokens, reading.kind()), newTables, provenNotNull, devDatabase, targetFacts);
    }
}
