package dev.safemigrate.audit;

import java.nio.file.Path;

import dev.safemigrate.config.KeyFolder;
import dev.safemigrate.config.Redactor;

/** A log in a test folder, with its key folder beside it (in real use it is in the user's configuration directory). */
final class Logs {

    private Logs() {}

    static AuditLog at(Path file) {
        return new AuditLog(file, keys(file), Redactor.none());
    }

    static KeyFolder keys(Path file) {
        return new KeyFolder(file.toAbsolutePath().getParent().resolve("keys-elsewhere"));
    }

    static ChainReport verify(Path file) throws java.io.IOException {
        return ChainVerifier.verify(file, keys(file));
    }
}
