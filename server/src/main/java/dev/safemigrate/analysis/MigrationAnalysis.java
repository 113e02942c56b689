package dev.safemigrate.analysis;

import java.util.List;

/** The analysis of one migration file: each statement, and every finding in file order. */
public record MigrationAnalysis(List<StatementAnalysis> statements, List<Finding> findings) {

    public MigrationAnalysis {
        statements = List.copyOf(statements);
        findings = List.copyOf(findings);
    }

    public boolean has(Severity severity) {
        return findings.stream().anyMatch(f -> f.severity() == severity);
    }

    public List<Finding> atLeast(Severity severity) {
        return findings.stream().filter(f -> f.severity().atLeast(severity)).toList();
    }

    /** Whether any statement must run outside a transaction (CREATE INDEX CONCURRENTLY, VACUUM, …). */
    public boolean needsNoTransaction() {
        return statements.stream().anyMatch(s -> !s.transactional());
    }

    /**
     * The value for Flyway's per-script {@code executeInTransaction}: false exactly when a statement
     * cannot run in a transaction. Such a migration should hold nothing else (see the
     * {@code concurrently-in-transaction} finding), since its other statements would run unprotected.
     */
    public boolean executeInTransaction() {
        return !needsNoTransaction();
    }

    /** Whether a statement that cannot run in a transaction shares this migration with other statements. */
    public boolean mixesNonTransactional() {
        return needsNoTransaction() && statements.size() > 1;
    }

    /** The distinct rule ids found, in file order. */
    public List<String> ruleIds() {
        return findings.stream().map(Finding::rule).distinct().toList();
    }
}
