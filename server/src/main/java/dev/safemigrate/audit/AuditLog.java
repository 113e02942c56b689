package dev.safemigrate.audit;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.type.TypeReference;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.KeyFolder;
import dev.safemigrate.config.Redactor;

/**
 * Appends entries to the hash-chained audit log. Each append reads the last entry, chains the new
 * one to it, seals it with the project's {@link ChainKey}, writes one whole line flushed to disk and
 * records the new {@link ChainHead} outside the project, all under an exclusive lock on the file:
 * several servers on one project (two agents, two editor windows) queue instead of interleaving
 * lines or forking the chain. Every secret the configuration resolved is cut out of the entry first.
 */
public final class AuditLog {

    /**
     * {@link FileChannel#lock()} excludes other processes only; a second lock from this JVM throws
     * instead of waiting. Threads of one process therefore queue on a monitor per file first.
     */
    private static final ConcurrentHashMap<Path, Object> THIS_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final KeyFolder keys;
    private final ChainHead head;
    private final Redactor redactor;
    private ChainKey key;

    public AuditLog(Path file, KeyFolder keys, Redactor redactor) {
        this.file = file.toAbsolutePath().normalize();
        this.keys = keys;
        this.head = new ChainHead(keys, this.file);
        this.redactor = redactor;
    }

    /** The log the configuration names, sealed with the project's key, redacting its secrets. */
    public static AuditLog of(Config config) {
        return new AuditLog(config.audit().log(), config.keys(), config.redactor());
    }

    public Path file() {
        return file;
    }

    /** @return the entry as written, with its sequence number and hash */
    public AuditEntry append(ToolCall call) throws IOException {
        return append(call.toEntry());
    }

    AuditEntry append(AuditEntry entry) throws IOException {
        Files.createDirectories(file.getParent());
        AuditEntry clean = redacted(entry);
        synchronized (THIS_PROCESS.computeIfAbsent(file, f -> new Object())) {
            try (FileChannel ch = FileChannel.open(file, CREATE, READ, WRITE); FileLock ignored = ch.lock()) {
                LogTail.Last last = LogTail.read(ch);
                Optional<ChainHead.Head> recorded = head.read();
                long afterSeq = last.seq();
                String afterHash = last.hash();
                if (recorded.isPresent() && (recorded.get().seq() > last.seq()
                        || recorded.get().seq() == last.seq() && !recorded.get().hash().equals(last.hash()))) {
                    // the log lost its end (or its last line was replaced): chaining to what is left would
                    // let the next head paper over the cut, so the new entry chains to the entry that was
                    // really written last, and verify shows the gap
                    System.err.println("safemigrate: the audit log " + file + " ends at #" + last.seq() + " but #"
                            + recorded.get().seq() + " was written: it was cut short or rewritten. Run "
                            + "`safemigrate log --verify`.");
                    afterSeq = recorded.get().seq();
                    afterHash = recorded.get().hash();
                }
                AuditEntry chained = clean.chainedAfter(afterSeq, afterHash);
                AuditLine.Sealed sealed = AuditLine.seal(chained, key());
                String text = (last.endsWithNewline() ? "" : "\n") + sealed.line() + "\n";
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                long position = ch.size();
                while (buf.hasRemaining()) {
                    position += ch.write(buf, position);
                }
                // the entry is only a record once it survives a crash of this machine
                ch.force(true);
                head.write(chained.seq(), sealed.hash());
                return chained.withHash(sealed.hash());
            }
        }
    }

    /**
     * Makes {@code call}'s line as {@link #append} would, sealed with a throwaway key, and writes and
     * reads nothing: for the idle warm-up, so that a first call does not wait for the entry's
     * serialiser and digests to load.
     */
    public static void rehearse(ToolCall call) {
        AuditLine.seal(call.toEntry().chainedAfter(0, AuditLine.GENESIS), new ChainKey(new byte[32]));
    }

    private synchronized ChainKey key() {
        if (key == null) {
            key = ChainKey.of(keys);
        }
        return key;
    }

    private AuditEntry redacted(AuditEntry entry) {
        if (redactor.isEmpty()) {
            return entry;
        }
        Map<String, Object> tree = AuditLine.JSON.convertValue(entry, new TypeReference<Map<String, Object>>() {});
        return AuditLine.JSON.convertValue(redactor.redactMap(tree), AuditEntry.class);
    }
}
