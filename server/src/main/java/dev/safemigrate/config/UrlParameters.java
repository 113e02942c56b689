package dev.safemigrate.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * JDBC URL parameters that would change how migration SQL reaches the server. With the extended
 * protocol (pgjdbc's default) each statement Flyway sends is parsed by PostgreSQL as one prepared
 * statement, and PostgreSQL itself refuses a second command hidden in it: the last check that
 * what runs is what was analysed statement by statement. {@code preferQueryMode=simple} or
 * {@code extendedForPrepared} send it as a simple query instead, where the server runs every
 * statement it finds in the text.
 */
final class UrlParameters {

    private UrlParameters() {}

    /** @return why the URL is refused, naming the fix; null when it is accepted */
    static String refusal(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String param : url.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String name = decode(eq < 0 ? param : param.substring(0, eq)).strip();
            String value = eq < 0 ? "" : decode(param.substring(eq + 1)).strip();
            // pgjdbc reads parameter names case-sensitively, values case-insensitively; refuse any spelling
            if (name.equalsIgnoreCase("preferQueryMode") && !value.equalsIgnoreCase("extended")
                    && !value.equalsIgnoreCase("extendedCacheEverything")) {
                return "preferQueryMode=" + value + " sends migration statements as simple queries, where PostgreSQL runs "
                        + "every statement in the text instead of refusing one it was not meant to get; remove the "
                        + "parameter (the default, extended, is the only mode safemigrate runs with)";
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;   // not valid percent-encoding: compared as written
        }
    }
}
