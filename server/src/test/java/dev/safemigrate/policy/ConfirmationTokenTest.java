package dev.safemigrate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.policy.ConfirmationToken.Check;
import dev.safemigrate.policy.ConfirmationToken.Subject;

class ConfirmationTokenTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Subject SUBJECT = new Subject(List.of("20261125100000:123", "20261125100100:-45"),
            List.of("20261125100100/1/drop-column"));

    private final String token = ConfirmationToken.issue(KEY, SUBJECT, NOW);

    @Test
    void validForFifteenMinutesForExactlyItsSubject() {
        assertEquals(Check.VALID, ConfirmationToken.check(KEY, token, SUBJECT, NOW));
        assertEquals(Check.VALID, ConfirmationToken.check(KEY, token, SUBJECT, NOW.plus(Duration.ofMinutes(15))));
        assertEquals(Check.EXPIRED, ConfirmationToken.check(KEY, token, SUBJECT, NOW.plus(Duration.ofMinutes(15)).plusSeconds(1)));
    }

    @Test
    void anEditedMigrationIsNotCovered() {
        Subject edited = new Subject(List.of("20261125100000:123", "20261125100100:999"), SUBJECT.findingIds());
        assertEquals(Check.MISMATCH, ConfirmationToken.check(KEY, token, edited, NOW));
    }

    @Test
    void anAddedMigrationIsNotCovered() {
        Subject added = new Subject(List.of("20261125100000:123", "20261125100100:-45", "20261125100200:7"),
                SUBJECT.findingIds());
        assertEquals(Check.MISMATCH, ConfirmationToken.check(KEY, token, added, NOW));
    }

    @Test
    void differentFindingsAreNotCovered() {
        Subject more = new Subject(SUBJECT.migrations(), List.of("20261125100100/1/drop-column", "20261125100100/2/drop-table"));
        assertEquals(Check.MISMATCH, ConfirmationToken.check(KEY, token, more, NOW));
    }

    @Test
    void findingOrderDoesNotMatter() {
        Subject a = new Subject(SUBJECT.migrations(), List.of("x", "y"));
        Subject b = new Subject(SUBJECT.migrations(), List.of("y", "x"));
        assertEquals(Check.VALID, ConfirmationToken.check(KEY, ConfirmationToken.issue(KEY, a, NOW), b, NOW));
    }

    @Test
    void anotherInstallationsKeyOrAForgedExpiryDoesNotVerify() {
        byte[] other = "another key of thirty-two bytes!".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Check.MISMATCH, ConfirmationToken.check(other, token, SUBJECT, NOW));
        String[] parts = token.split("\\.");
        String extended = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        assertEquals(Check.MISMATCH, ConfirmationToken.check(KEY, extended, SUBJECT, NOW.plus(Duration.ofMinutes(30))));
    }

    @Test
    void absentAndMalformedTokens() {
        assertEquals(Check.ABSENT, ConfirmationToken.check(KEY, null, SUBJECT, NOW));
        assertEquals(Check.ABSENT, ConfirmationToken.check(KEY, "", SUBJECT, NOW));
        assertEquals(Check.MALFORMED, ConfirmationToken.check(KEY, "yes", SUBJECT, NOW));
        assertEquals(Check.MALFORMED, ConfirmationToken.check(KEY, "v1.soon.abc", SUBJECT, NOW));
        assertEquals(Check.MALFORMED, ConfirmationToken.check(KEY, "v2.1.abc", SUBJECT, NOW));
    }
}
