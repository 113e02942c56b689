package dev.safemigrate.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The per-installation key confirmation tokens are signed with, kept in .safemigrate/secret
 * (owner-only). An agent sees tokens but never this key, so it cannot mint its own.
 */
final class InstallationSecret {

    private InstallationSecret() {}

    static byte[] load(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return HexFormat.of().parseHex(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the confirmation key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(file.getParent(), ".secret-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions have to do
            }
            Files.writeString(temp, HexFormat.of().formatHex(key));
            try {
                // a link fails if another process created the key first; then both use that one
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // keep the existing key
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
