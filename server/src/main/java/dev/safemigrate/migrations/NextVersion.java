package dev.safemigrate.migrations;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

import dev.safemigrate.config.Config;

/**
 * The version of a new migration. Always above every existing one: Flyway runs without
 * out-of-order, so a lower version would be ignored rather than applied.
 */
public final class NextVersion {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private NextVersion() {}

    public static String after(Collection<String> existing, Config.Versioning versioning, LocalDateTime nowUtc) {
        BigInteger highest = existing.stream().map(NextVersion::numeric).max(BigInteger::compareTo).orElse(BigInteger.ZERO);
        BigInteger candidate = versioning == Config.Versioning.TIMESTAMP
                ? new BigInteger(STAMP.format(nowUtc))
                : BigInteger.ONE;
        return candidate.max(highest.add(BigInteger.ONE)).toString();
    }

    public static LocalDateTime nowUtc() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    /** Flyway versions may contain dots or underscores (1.2, 1_2); compare on their digits. */
    private static BigInteger numeric(String version) {
        String digits = version.split("[._]")[0].replaceAll("\\D", "");
        return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits);
    }
}
