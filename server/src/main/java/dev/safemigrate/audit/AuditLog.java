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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends entries to the hash-chained audit log. Each append reads the last entry, chains the new
 * one to it and writes one whole line, flushed to disk, all under an exclusive lock on the file:
 * several servers on one project (two agents, two editor windows) queue instead of interleaving
 * lines or forking the chain.
 */
public final class AuditLog {

    /**
     * {@link FileChannel#lock()} excludes other processes only; a second lock from this JVM throws
     * instead of waiting. Threads of one process therefore queue on a monitor per file first.
     */
    private static final ConcurrentHashMap<Path, Object> THIS_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    public AuditLog(Path file) {
        this.file = file.toAbsolutePath().normalize();
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
        synchronized (THIS_PROCESS.computeIfAbsent(file, f -> new Object())) {
            try (FileChannel ch = FileChannel.open(file, CREATE, READ, WRITE); FileLock ignored = ch.lock()) {
                LogTail.Last last = LogTail.read(ch);
                AuditEntry chained = entry.chainedAfter(last.seq(), last.hash());
                AuditLine.Sealed sealed = AuditLine.seal(chained);
                String text = (last.endsWithNewline() ? "" : "\n") + sealed.line() + "\n";
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                long position = ch.size();
                while (buf.hasRemaining()) {
                    position += ch.write(buf, position);
                }
                // the entry is only a record once it survives a crash of this machine
                ch.force(true);
                return chained.withHash(sealed.hash());
            }
        }
    }
}
