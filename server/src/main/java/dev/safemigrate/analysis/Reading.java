package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One reader's understanding of a statement, in a vocabulary both readers share.
 *
 * @param kind    e.g. {@code alter_table.drop_column}; {@code opaque} when not understood
 * @param targets objects touched, normalised (unquoted names lowercased)
 * @param actions what the statement does beyond its kind: every ALTER TABLE action
 *                ({@code drop_column}, {@code add_constraint.foreign_key}, …) and facts such as
 *                {@code delete_without_where}; rules look for these
 * @param certain the lexical reader knows this statement form completely, so a parse adds nothing
 */
public record Reading(String kind, List<String> targets, Set<String> actions, boolean certain) {

    public static final String OPAQUE = "opaque";

    public Reading {
        targets = List.copyOf(targets);
        actions = Set.copyOf(actions);
    }

    public static Reading opaque() {
        return new Reading(OPAQUE, List.of(), Set.of(), false);
    }

    /**
     * The parser ran out of time: the statement is not understood, whatever its first words say
     * (a hostile statement can be built to make the parser give up). What the lexical reader saw
     * is kept, so that its findings (a DELETE without WHERE) still count.
     */
    public static Reading timedOut(Reading lexical) {
        Set<String> actions = new LinkedHashSet<>(lexical.actions());
        actions.add(PARSE_TIMEOUT);
        return new Reading(OPAQUE, lexical.targets(), actions, false);
    }

    public static final String PARSE_TIMEOUT = "parse_timeout";

    public boolean isOpaque() {
        return OPAQUE.equals(kind);
    }

    public boolean has(String action) {
        return actions.contains(action);
    }

    /**
     * Where the readers disagree the more dangerous reading wins: every action either saw is kept
     * (a drop one of them saw is a drop), and the kind is the more dangerous one.
     */
    public static Reading reconcile(Reading lexical, Reading parsed) {
        if (parsed == null || parsed.isOpaque()) {
            return lexical;
        }
        if (lexical.isOpaque()) {
            return parsed;
        }
        Set<String> actions = new LinkedHashSet<>(lexical.actions());
        actions.addAll(parsed.actions());
        String kind = KindDanger.rank(parsed.kind()) > KindDanger.rank(lexical.kind()) ? parsed.kind() : lexical.kind();
        List<String> targets = lexical.targets().isEmpty() ? parsed.targets() : lexical.targets();
        return new Reading(kind, targets, actions, lexical.certain());
    }
}
