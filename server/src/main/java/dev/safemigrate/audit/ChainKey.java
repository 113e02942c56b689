package dev.safemigrate.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.safemigrate.config.KeyFolder;

/**
 * The key each line's hash is an HMAC-SHA256 with. It lives in the project's {@link KeyFolder},
 * outside the project: whoever can rewrite the log but not read this key cannot produce a line
 * that verifies, so a log rewritten with a recomputed chain fails {@code log --verify}.
 */
public final class ChainKey {

    /** The key's file name in the key folder. */
    public static final String NAME = "audit.key";

    private final SecretKeySpec key;

    ChainKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The project's key, created on first use: for the writer. */
    static ChainKey of(KeyFolder keys) {
        return new ChainKey(keys.key(NAME));
    }

    /** The project's key if it exists: a verifier must not invent the key it checks with. */
    static Optional<ChainKey> existing(KeyFolder keys) {
        return keys.existingKey(NAME).map(ChainKey::new);
    }

    /** Lowercase hex HMAC-SHA256 of the canonical form. */
    String seal(String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "ChainKey[…]";
    }
}
