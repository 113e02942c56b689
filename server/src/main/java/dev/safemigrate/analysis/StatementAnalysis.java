package dev.safemigrate.analysis;

import java.util.List;

/**
 * What one statement does.
 *
 * @param kind          e.g. {@code create_table}, {@code alter_table.drop_column}, {@code opaque}
 * @param targets       the objects it touches, as written (schema-qualified when the SQL qualifies them)
 * @param lock          the strongest table lock it takes, by PostgreSQL's name ({@code AccessExclusiveLock}), or null
 * @param rewrite       whether it rewrites the whole table
 * @param transactional whether PostgreSQL allows it inside a transaction block
 */
public record StatementAnalysis(int index, int line, String text, String kind, List<String> targets, String lock,
                                boolean rewrite, boolean transactional, List<Finding> findings) {
    public StatementAnalysis {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
    }
}
