package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.StatementContext;

/** One rule (or a small family of rules) over one statement, like a squawk or eugene rule. */
public interface Rule {

    /** The stable rule ids this rule can report; each has its page docs/rules/&lt;id&gt;.md. */
    List<String> ids();

    List<Finding> check(StatementContext s);

    /**
     * Whether the rule reads the catalog facts of the statement's target
     * ({@link StatementContext#targetFacts()}, {@link StatementContext#sizeNote()}). Only such a rule is
     * given them, and only such a rule runs again when the catalog-aware analysis reuses the static
     * one ({@code MigrationAnalyzer.withFacts}); every other rule sees a context without facts.
     */
    default boolean readsCatalogFacts() {
        return false;
    }
}
