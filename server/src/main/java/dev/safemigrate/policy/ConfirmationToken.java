package dev.safemigrate.policy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A confirmation token: an HMAC over exactly the pending migrations (version and sha256) and
 * the ids of the findings the person was shown, with an expiry, keyed by a per-installation
 * secret. An agent cannot forge one, and one issued for a set of migrations never covers an
 * edited migration or one added since: any change alters the HMAC.
 *
 * <p>Form: {@code v1.<expiry epoch seconds>.<base64url HMAC-SHA256>}.
 */
public final class ConfirmationToken {

    public static final Duration VALIDITY = Duration.ofMinutes(15);

    public enum Check { ABSENT, VALID, EXPIRED, MISMATCH, MALFORMED }

    /** What a token covers. */
    public record Subject(List<String> migrations, List<String> findingIds) {
        public Subject {
            migrations = List.copyOf(migrations);
            findingIds = findingIds.stream().sorted().toList();
        }

        /** @param sha256 of the file's bytes in the snapshot the person was shown */
        public static String migration(String version, String sha256) {
            return version + ":" + sha256;
        }
    }

    private ConfirmationToken() {}

    public static String issue(byte[] key, Subject subject, Instant now) {
        long expiry = now.plus(VALIDITY).getEpochSecond();
        return "v1." + expiry + "." + mac(key, subject, expiry);
    }

    public static Check check(byte[] key, String token, Subject subject, Instant now) {
        if (token == null || token.isEmpty()) {
            return Check.ABSENT;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            return Check.MALFORMED;
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Check.MALFORMED;
        }
        boolean matches = MessageDigest.isEqual(mac(key, subject, expiry).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
        if (!matches) {
            return Check.MISMATCH;
        }
        return now.getEpochSecond() > expiry ? Check.EXPIRED : Check.VALID;
    }

    private static String mac(byte[] key, Subject subject, long expiry) {
        List<String> lines = new ArrayList<>();
        lines.add("safemigrate-confirmation-v1");
        lines.add("expiry " + expiry);
        subject.migrations().forEach(m -> lines.add("migration " + m));
        subject.findingIds().forEach(f -> lines.add("finding " + f));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
