package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.StatementContext;

/** One rule (or a small family of rules) over one statement, like a squawk or eugene rule. */
public interface Rule {

    /** The stable rule ids this rule can report; each has its page docs/rules/&lt;id&gt;.md. */
    List<String> ids();

    List<Finding> check(StatementContext s);
}
