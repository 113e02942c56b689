package dev.safemigrate.analysis.rules;

/** The functions that some block rule already reports, so that function-call does not repeat them. */
final class BlockedFunctions {

    private BlockedFunctions() {}

    static boolean blocked(String call) {
        String name = call.substring(call.lastIndexOf('.') + 1);
        return ServerFileFunctionRule.FUNCTIONS.contains(name) || ServerControlFunctionRule.FUNCTIONS.contains(name)
                || name.startsWith("dblink");
    }
}
