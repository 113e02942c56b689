package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Map;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * confirm: triggers, rules, event triggers, operators, casts and the like install code that runs
 * by itself on later statements — an INSERT that fires a trigger, a DDL that fires an event
 * trigger, a comparison that calls an operator's function — where no one sees it run.
 */
public final class CodeHookRule implements Rule {

    private static final Map<String, String> HOOKS = Map.ofEntries(
            Map.entry("create_trigger", "a trigger runs its function on every matching INSERT, UPDATE or DELETE"),
            Map.entry("create_rule", "a rule rewrites later statements on the table into other statements"),
            Map.entry("create_event_trigger", "an event trigger runs its function on DDL, in every later migration"),
            Map.entry("alter_event_trigger", "an event trigger runs its function on DDL, in every later migration"),
            Map.entry("create_operator", "an operator (or operator class) runs its function wherever it is used"),
            Map.entry("create_cast", "a cast runs its function wherever values are converted"),
            Map.entry("create_aggregate", "an aggregate runs its state functions wherever it is used"),
            Map.entry("create_language", "a procedural language lets functions run code in it"),
            Map.entry("create_transform", "a transform runs its functions when values cross into a language"),
            Map.entry("create_access_method", "an access method runs its handler for every table or index using it"),
            Map.entry("create_conversion", "a conversion runs its function on every encoding conversion"));

    public List<String> ids() {
        return List.of("code-hook");
    }

    public List<Finding> check(StatementContext s) {
        String what = HOOKS.get(s.kind());
        if (what == null) {
            return List.of();
        }
        return List.of(s.finding("code-hook", Severity.CONFIRM,
                "Installs code that runs by itself later: " + what + ".",
                "Have a person read the code it installs (and the function it calls) before confirming."));
    }
}
