package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The functions that some block rule already reports, so that function-call does not repeat them. */
final class BlockedFunctions {

    private BlockedFunctions() {}

    /**
     * The calls that are among {@code functions}, sorted. Every statement is asked, and nearly all
     * call none of them: nothing is allocated then (a stream per rule and statement was a tenth of
     * the analysis of an INSERT-heavy file).
     */
    static List<String> calledOf(Set<String> calls, Set<String> functions) {
        List<String> used = null;
        for (String c : calls) {
            if (functions.contains(c)) {
                if (used == null) {
                    used = new ArrayList<>();
                }
                used.add(c);
            }
        }
        if (used == null) {
            return List.of();
        }
        used.sort(null);
        return List.copyOf(used);
    }

    static boolean blocked(String call) {
        String name = call.substring(call.lastIndexOf('.') + 1);
        return ServerFileFunctionRule.FUNCTIONS.contains(name) || ServerControlFunctionRule.FUNCTIONS.contains(name)
                || name.startsWith("dblink");
    }
}
