package dev.safemigrate.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool call written the way an agent makes it, {@code tool {"argument":value}}: what a result
 * names as the next step or as the way to the rest of a list, so it can be made as it is.
 */
final class NextCall {

    private NextCall() {}

    /** @param arguments name, value, name, value…; a null value leaves its argument out */
    static String of(String tool, Object... arguments) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < arguments.length; i += 2) {
            if (arguments[i + 1] != null) {
                args.put((String) arguments[i], arguments[i + 1]);
            }
        }
        return tool + " " + ResultJson.JSON.writeValueAsString(args);
    }
}
