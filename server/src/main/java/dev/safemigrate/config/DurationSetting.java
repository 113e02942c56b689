package dev.safemigrate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as PostgreSQL writes them in settings: {@code 500ms}, {@code 5s}, {@code 10min}, {@code 1h}. */
public final class DurationSetting {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*(ms|s|min|h)\\s*");

    private DurationSetting() {}

    public static Duration parse(String key, String text, Object source) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new ConfigException("'" + key + "' in " + source + " is '" + text
                    + "'; write a number with a unit: ms, s, min or h (e.g. \"5s\", \"10min\")");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest text {@link #parse} reads back as {@code d}: {@code 5s}, {@code 10min}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        if (ms != 0 && ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** The value for {@code SET lock_timeout = …}: milliseconds, which every PostgreSQL version accepts. */
    public static String toPostgres(Duration d) {
        return d.toMillis() + "ms";
    }
}
