package dev.safemigrate.migrations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Prisma's checksum of a migration script, as its schema engine computes and compares it
 * (prisma-engines {@code schema-engine/connectors/schema-connector/src/checksum.rs}):
 * <ul>
 *   <li>written: the sha256 of the script's UTF-8 bytes, as-is (no line ending is normalised), in
 *       64 lowercase hex digits ({@code render_checksum});</li>
 *   <li>compared: a recorded checksum matches when it is the script's, or the script's with every
 *       CRLF made LF, or with every LF made CRLF, because git may have changed the line endings of
 *       a checkout ({@code script_matches_checksum}); a recorded checksum that is not 64 characters
 *       long is compared in the unpadded form an old engine wrote ({@code format_checksum_old},
 *       prisma-engines#1887: each byte as {@code {:x}}, without its leading zero).</li>
 * </ul>
 * The script is the text Prisma reads from migration.sql: the file's bytes as UTF-8
 * (prisma {@code packages/migrate/src/utils/listMigrations.ts}).
 */
public final class PrismaChecksum {

    private static final int LENGTH = 64;

    private PrismaChecksum() {}

    /** What Prisma records for {@code script}. */
    public static String of(String script) {
        return HexFormat.of().formatHex(sha256(script));
    }

    /** Whether Prisma takes {@code recorded} to be {@code script}'s checksum. */
    public static boolean matches(String script, String recorded) {
        if (recorded == null) {
            return false;
        }
        for (String variant : new String[] {script, script.replace("\r\n", "\n"), script.replace("\n", "\r\n")}) {
            byte[] digest = sha256(variant);
            String rendered = !recorded.isEmpty() && recorded.length() != LENGTH ? unpadded(digest)
                    : HexFormat.of().formatHex(digest);
            if (rendered.equals(recorded)) {
                return true;
            }
        }
        return false;
    }

    private static String unpadded(byte[] digest) {
        StringBuilder sb = new StringBuilder(LENGTH);
        for (byte b : digest) {
            sb.append(Integer.toHexString(b & 0xff));
        }
        return sb.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
