package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies a statement's {@code -- safemigrate:allow <rule-id> <reason>} comments to its findings:
 * each well-formed comment lowers that rule's confirm or warn findings of that statement to info
 * and records the reason. It never lowers block. Every comment that cannot do exactly that — an
 * unknown rule id, no reason, a rule the statement does not trigger, a block finding, a misplaced
 * comment — becomes a block finding of its own ({@value #RULE}), so a typo refuses the migration
 * instead of silencing anything.
 */
public final class AllowedFindings {

    public static final String RULE = "allow-comment";

    private AllowedFindings() {}

    /**
     * @param statement the statement's 1-based index
     * @param comments  the allow comments standing before it
     * @param found     its findings
     * @param ruleIds   every rule id a comment may name
     * @return its findings with the accepted ones lowered, and a block finding for each comment that failed
     */
    public static List<Finding> apply(int statement, List<AllowComment> comments, List<Finding> found, Set<String> ruleIds) {
        if (comments.isEmpty()) {
            return found;
        }
        List<Finding> out = new ArrayList<>(found);
        for (AllowComment c : comments) {
            String problem = problem(c, out, ruleIds);
            if (problem != null) {
                out.add(refusal(statement, c, problem));
                continue;
            }
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).rule().equals(c.rule()) && out.get(i).allowedFrom() == null) {
                    out.set(i, out.get(i).allowed(c.reason()));
                }
            }
        }
        return out;
    }

    /** The block finding for a comment that stands before no statement. */
    public static Finding refusal(int statement, AllowComment c, String problem) {
        return new Finding(RULE, Severity.BLOCK, statement, c.line(),
                "The comment \"-- safemigrate:allow " + (c.rule() + " " + c.reason()).strip() + "\" on line " + c.line()
                        + " accepts nothing: " + problem + ".",
                "Write -- safemigrate:allow <rule-id> <reason> on its own line directly before the statement, naming a "
                        + "confirm or warn finding that statement has (see docs/rules/), or remove the comment.");
    }

    private static String problem(AllowComment c, List<Finding> found, Set<String> ruleIds) {
        if (c.problem() != null) {
            return c.problem();
        }
        if (c.rule().isEmpty()) {
            return "it names no rule id";
        }
        if (!ruleIds.contains(c.rule())) {
            return c.rule().startsWith("dry-run-")
                    ? c.rule() + " is found by the dry run in this database's data, which a comment cannot accept"
                    : c.rule() + " is not a rule id";
        }
        if (c.reason().isEmpty()) {
            return "it gives no reason";
        }
        List<Finding> matching = found.stream().filter(f -> f.rule().equals(c.rule())).toList();
        if (matching.isEmpty()) {
            return "statement " + c.statement() + " has no " + c.rule() + " finding";
        }
        if (matching.stream().anyMatch(f -> f.severity() == Severity.BLOCK)) {
            return c.rule() + " is a block finding, which is never accepted";
        }
        return null;
    }
}
