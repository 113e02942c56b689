package dev.safemigrate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import tools.jackson.core.JacksonException;

/**
 * Walks the log from the first line and stops at the first line that breaks the chain, saying
 * how: a changed line no longer matches its own hash; a removed or moved line leaves the next
 * line's prev_hash pointing at something that is not the line before it.
 *
 * <p>A chain without a secret cannot show that entries were cut off the end, nor stop someone
 * who rewrites every hash after an edit: note the last hash that verify prints, and compare.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    public static ChainReport verify(Path file) throws IOException {
        Walk walk = new Walk();
        AuditReader.forEachLine(file, walk::check);
        return new ChainReport(walk.count, walk.first, walk.previous, walk.badLine, walk.problem);
    }

    private static final class Walk {
        int count;
        AuditEntry first;
        AuditEntry previous;
        int badLine;
        String problem;

        void check(AuditReader.RawLine raw) {
            if (problem != null) {
                return;
            }
            String why = problemWith(raw);
            if (why != null) {
                badLine = raw.number();
                problem = "line " + raw.number() + ": " + why;
            }
        }

        private String problemWith(AuditReader.RawLine raw) {
            if (!raw.terminated()) {
                return "the last line has no newline: a write was cut short, or the line was edited";
            }
            if (raw.text().isEmpty()) {
                return "empty line: the log was edited";
            }
            Optional<AuditLine.Sealed> sealed = AuditLine.split(raw.text());
            if (sealed.isEmpty()) {
                return "not a sealed audit entry (no \"hash\" member at the end): the line was edited";
            }
            if (!sealed.get().intact()) {
                return "hash mismatch: the line was edited after it was written";
            }
            AuditEntry e;
            try {
                e = AuditLine.parse(raw.text());
            } catch (JacksonException ex) {
                return "hash matches but the line is not a valid entry: " + ex.getOriginalMessage();
            }
            long expectedSeq = previous == null ? 1 : previous.seq() + 1;
            String expectedPrev = previous == null ? AuditLine.GENESIS : previous.hash();
            if (!expectedPrev.equals(e.prevHash())) {
                return previous == null
                        ? "prev_hash is not the genesis value (seq " + e.seq() + "): entries before it were removed"
                        : "prev_hash mismatch: seq " + e.seq() + " does not chain to line " + (raw.number() - 1)
                                + " (seq " + previous.seq() + "): " + (e.seq() <= previous.seq()
                                ? "lines were reordered" : "a line was removed or lines were reordered");
            }
            if (e.seq() != expectedSeq) {
                return "sequence gap: expected seq " + expectedSeq + ", found " + e.seq();
            }
            count++;
            if (first == null) {
                first = e;
            }
            previous = e;
            return null;
        }
    }
}
