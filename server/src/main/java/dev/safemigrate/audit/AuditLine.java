package dev.safemigrate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The on-disk form of an entry and the definition of its hash.
 *
 * <p>A line is the entry as one JSON object in {@link AuditEntry}'s field order, without
 * whitespace, absent fields omitted, UTF-8, ending in {@code ,"hash":"<64 hex>"}} and a newline.
 * The <b>canonical form</b> is the line's exact bytes with that final {@code ,"hash":"…"} member
 * removed (so it ends in {@code }}); {@code hash} is the lowercase hex HMAC-SHA256 of the canonical
 * form with the project's {@link ChainKey}. The canonical form covers {@code prev_hash}, which chains
 * each line to the one before. Logs written before the key existed used a plain SHA-256: such
 * lines still chain, but anyone could have recomputed them ({@link #unkeyed}).
 *
 * <p>Defining the canonical form on the bytes as written, not on a re-serialisation, means a
 * verifier never depends on a JSON library's escaping or key order, and a person can check a
 * line with standard tools: strip the hash member, {@code openssl dgst -sha256 -mac HMAC} the rest.
 */
public final class AuditLine {

    /** The prev_hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    // DOTALL: a logged string may hold U+2028 or U+0085 unescaped, which a plain "." would not match
    private static final Pattern SEALED = Pattern.compile("(\\{.*),\"hash\":\"([0-9a-f]{64})\"}", Pattern.DOTALL);

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A line split into what was hashed and the hash it claims. */
    public record Sealed(String canonical, String hash) {
        /** Sealed with this key: written by safemigrate, unchanged since. */
        boolean sealedWith(ChainKey key) {
            return MessageDigest.isEqual(key.seal(canonical).getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        }

        /** Sealed with a plain SHA-256, as before the audit key existed: consistent, but anyone could have made it. */
        boolean unkeyed() {
            return sha256(canonical).equals(hash);
        }

        /** The line as written, without its newline. */
        public String line() {
            return canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + hash + "\"}";
        }
    }

    private AuditLine() {}

    /** The entry's canonical form and its keyed hash; the entry's own hash field is ignored. */
    static Sealed seal(AuditEntry entry, ChainKey key) {
        String canonical = JSON.writeValueAsString(entry.withHash(null));
        return new Sealed(canonical, key.seal(canonical));
    }

    public static Optional<Sealed> split(String line) {
        Matcher m = SEALED.matcher(line);
        return m.matches() ? Optional.of(new Sealed(m.group(1) + "}", m.group(2))) : Optional.empty();
    }

    public static AuditEntry parse(String line) {
        return JSON.readValue(line, AuditEntry.class);
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
