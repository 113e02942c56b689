package dev.safemigrate.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's own arguments: flags ({@code --json}), options with a value ({@code --tool NAME} or
 * {@code --tool=NAME}) and positionals. An unknown option is an error, never ignored: a mistyped
 * {@code --refused} must not silently show everything.
 */
record Arguments(Set<String> flags, Map<String, String> options, List<String> positionals) {

    static Arguments parse(List<String> args, Set<String> flagNames, Set<String> optionNames) throws UsageException {
        Set<String> flags = new HashSet<>();
        Map<String, String> options = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positionals.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (flagNames.contains(name) && eq < 0) {
                flags.add(name);
            } else if (optionNames.contains(name)) {
                if (eq >= 0) {
                    options.put(name, a.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    options.put(name, args.get(++i));
                } else {
                    throw new UsageException(name + " needs a value");
                }
            } else {
                throw new UsageException("unknown option '" + a + "'");
            }
        }
        return new Arguments(flags, options, positionals);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    String option(String name) {
        return options.get(name);
    }
}
