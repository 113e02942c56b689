package dev.safemigrate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import tools.jackson.core.JacksonException;

import dev.safemigrate.config.KeyFolder;

/**
 * The last entry written to one log, kept in the project's {@link KeyFolder} outside the project and
 * updated with every append under the log's lock. A chain, keyed or not, cannot show that lines were
 * cut off its end; comparing its end with this head can.
 */
final class ChainHead {

    /** @param log the log this head belongs to, for a person reading the file */
    record Head(long seq, String hash, String log) {}

    private final KeyFolder keys;
    private final Path log;
    private final String name;

    ChainHead(KeyFolder keys, Path log) {
        this.keys = keys;
        this.log = log.toAbsolutePath().normalize();
        // one head per log file: two configurations in one project may keep two logs
        this.name = "audit-head-" + AuditLine.sha256(this.log.toString()).substring(0, 12) + ".json";
    }

    Path file() {
        return keys.file(name);
    }

    Optional<Head> read() throws IOException {
        Optional<String> text = keys.read(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AuditLine.JSON.readValue(text.get(), Head.class));
        } catch (JacksonException e) {
            throw new IOException("the chain head " + file() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    void write(long seq, String hash) throws IOException {
        keys.write(name, AuditLine.JSON.writeValueAsString(new Head(seq, hash, log.toString())) + "\n");
    }
}
