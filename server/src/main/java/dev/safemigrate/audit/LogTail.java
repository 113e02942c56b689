package dev.safemigrate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The last sealed entry of the log, read backwards from the end so that an append costs the same
 * on the first day as after a year of entries.
 */
final class LogTail {

    /**
     * Enough for a few entries (one is usually under 2 KB); a longer last entry is found by reading
     * four times as much again. Reading and splitting 64 KB on every append cost more than the rest
     * of the tail together.
     */
    private static final int FIRST_CHUNK = 8 * 1024;

    /** @param endsWithNewline false after a torn write: the next line must start on a line of its own */
    record Last(long seq, String hash, boolean endsWithNewline) {}

    private LogTail() {}

    static Last read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return new Last(0, AuditLine.GENESIS, true);
        }
        for (long chunk = FIRST_CHUNK; ; chunk *= 4) {
            long start = Math.max(0, size - chunk);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    break;
                }
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            boolean endsWithNewline = text.endsWith("\n");
            String[] lines = text.split("\n");
            // a chunk that does not start at the file's start may begin in the middle of a line
            int firstWhole = start == 0 ? 0 : 1;
            for (int i = lines.length - 1; i >= firstWhole; i--) {
                Optional<AuditLine.Sealed> sealed = AuditLine.split(lines[i]);
                if (sealed.isPresent()) {
                    return new Last(AuditLine.parse(lines[i]).seq(), sealed.get().hash(), endsWithNewline);
                }
            }
            if (start == 0) {
                return new Last(0, AuditLine.GENESIS, endsWithNewline);
            }
        }
    }
}
