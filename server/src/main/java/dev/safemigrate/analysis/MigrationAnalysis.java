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
}
