package dev.safemigrate.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --since} of {@code log}: an instant, a date, or a span back from now ({@code 2h}, {@code 7d}). */
final class Since {

    private static final Pattern SPAN = Pattern.compile("(\\d+)\\s*([smhdw])");

    private Since() {}

    static Instant parse(String text, Clock clock) throws UsageException {
        String t = text.strip();
        Matcher m = SPAN.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration span = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return clock.instant().minus(span);
        }
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return clock.instant().minus(Duration.parse(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--since '" + text + "' is neither a time (2026-11-25T10:00:00Z, 2026-11-25) nor a span "
                    + "back from now (90s, 30m, 2h, 7d, 2w, PT2H)");
        }
    }
}
