package dev.safemigrate.analysis;

import java.util.List;

/**
 * A migration read from its text, with its static analysis: what the catalog-aware analysis of the
 * same text reuses ({@link MigrationAnalyzer#withFacts}) instead of splitting, lexing, classifying,
 * parsing and checking boundaries again. Facts reach a statement only through its rules, so only the
 * rules that read them run again, on the statements whose target the catalog knows.
 */
public final class FirstReading {

    final String sql;
    final String devDatabase;
    final List<StatementReading> statements;
    final List<Finding> boundaryFindings;
    final List<AllowComment> allows;
    /** per statement, the findings of the statement rules in rule order, before anything else is added */
    final List<List<Finding>> ruleFindings;
    private final MigrationAnalysis analysis;

    FirstReading(String sql, String devDatabase, List<StatementReading> statements, List<Finding> boundaryFindings,
                 List<AllowComment> allows, List<List<Finding>> ruleFindings, MigrationAnalysis analysis) {
        this.sql = sql;
        this.devDatabase = devDatabase;
        this.statements = statements;
        this.boundaryFindings = boundaryFindings;
        this.allows = allows;
        this.ruleFindings = ruleFindings;
        this.analysis = analysis;
    }

    /** The static analysis: the same as {@code analyze(sql, devDatabase)}. */
    public MigrationAnalysis analysis() {
        return analysis;
    }
}
