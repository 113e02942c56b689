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
 * @param executesCode  whether executing the statement (not merely creating something) can run code
 *                      other than PostgreSQL's side-effect-free built-ins ({@link BuiltinFunctions}).
 *                      True for: a call of any other function in a statement that evaluates
 *                      expressions as it runs (SELECT, VALUES, INSERT, UPDATE, DELETE, MERGE, COPY,
 *                      CREATE TABLE AS, CREATE MATERIALIZED VIEW, CREATE INDEX, ALTER TABLE — whose
 *                      defaults, USING and CHECK expressions run for existing rows — and EXPLAIN,
 *                      whose planner folds immutable calls; EXPLAIN ANALYZE is read as the statement
 *                      it runs); DO, CALL, EXECUTE, LOAD, REFRESH MATERIALIZED VIEW; a statement
 *                      analysis does not understand, a JSqlParser timeout included; and every
 *                      statement after one in the same migration that installs code later
 *                      statements can set off (a function, procedure, trigger, rule, event trigger,
 *                      operator, cast, aggregate, language …, or ENABLE TRIGGER/RULE). False for
 *                      statements that only define code without running it (CREATE FUNCTION,
 *                      CREATE TRIGGER, CREATE VIEW, a DEFAULT in CREATE TABLE). Not seen, because
 *                      they are not in the text: triggers, rules, defaults and policies already in
 *                      the database that a statement sets off, and functions reached through
 *                      attribute notation ({@code t.f} for {@code f(t)}) or user-defined operators —
 *                      only a least-privileged role bounds those.
 * @param returning     whether the statement has a RETURNING clause of its own (not one inside a WITH
 *                      query): an INSERT, UPDATE or DELETE that returns rows to the client
 */
public record StatementAnalysis(int index, int line, String text, String kind, List<String> targets, String lock,
                                boolean rewrite, boolean transactional, boolean executesCode, boolean returning,
                                List<Finding> findings) {

    /** Kinds whose statements change rows and, without RETURNING, return nothing but a row count. */
    private static final java.util.Set<String> DML = java.util.Set.of("insert", "update", "delete");

    public StatementAnalysis {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
    }

    /**
     * An INSERT, UPDATE or DELETE (WITH … in front included) that returns no rows, is allowed in a
     * transaction and runs no code the text shows: the dry run may execute it in one round trip with
     * its neighbours, and keeps that only where the result is provably what tracing it alone gives.
     */
    public boolean plainDml() {
        return DML.contains(kind) && !returning && transactional && !executesCode;
    }
}
