package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * confirm: a call of anything but a side-effect-free built-in (dev.safemigrate.analysis.BuiltinFunctions)
 * runs code analysis cannot see — a user function may do anything its owner may, COPY … TO PROGRAM
 * included. Functions blocked by their own rules (server files, dblink, server control) are left to them.
 */
public final class FunctionCallRule implements Rule {

    public List<String> ids() {
        return List.of("function-call");
    }

    public List<Finding> check(StatementContext s) {
        if (s.unknownCalls().isEmpty()) {
            return List.of();
        }
        List<String> unknown = s.unknownCalls().stream().filter(f -> !BlockedFunctions.blocked(f)).toList();
        if (unknown.isEmpty()) {
            return List.of();
        }
        return List.of(s.finding("function-call", Severity.CONFIRM,
                "Calls " + String.join(", ", unknown) + (unknown.size() == 1 ? ", which is" : ", which are")
                        + " not a side-effect-free PostgreSQL built-in: what it runs is not visible to analysis.",
                "Have a person check what the function does before confirming; where a built-in does the job "
                        + "(now(), lower(), gen_random_uuid(), coalesce(), …) use it instead."));
    }
}
