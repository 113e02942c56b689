package dev.safemigrate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import tools.jackson.core.JacksonException;

import dev.safemigrate.config.KeyFolder;

/**
 * Walks the log from the first line and stops at the first line that breaks the chain, saying
 * how: a changed line no longer matches its keyed hash; a removed or moved line leaves the next
 * line's prev_hash pointing at something that is not the line before it; a log that ends before
 * the {@link ChainHead} kept outside the project was cut short.
 *
 * <p>Lines sealed with a plain SHA-256 (written before the audit key existed) are accepted only
 * before the first keyed line, and counted: a plain line after a keyed one is a rewrite.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    /** @param keys the project's key folder: the audit key and the chain head, both read, never created */
    public static ChainReport verify(Path file, KeyFolder keys) throws IOException {
        ChainHead head = new ChainHead(keys, file);
        Walk walk = new Walk(ChainKey.existing(keys), keys.file(ChainKey.NAME), head.read(), head.file());
        AuditReader.forEachLine(file, walk::check);
        if (walk.problem == null) {
            walk.checkEnd();
        }
        return new ChainReport(walk.count, walk.unkeyed, walk.first, walk.previous, walk.badLine, walk.problem);
    }

    private static final class Walk {
        private final Optional<ChainKey> key;
        private final Path keyFile;
        private final Optional<ChainHead.Head> head;
        private final Path headFile;
        int count;
        int unkeyed;
        int lines;
        boolean sawKeyed;
        AuditEntry first;
        AuditEntry previous;
        int badLine;
        String problem;

        Walk(Optional<ChainKey> key, Path keyFile, Optional<ChainHead.Head> head, Path headFile) {
            this.key = key;
            this.keyFile = keyFile;
            this.head = head;
            this.headFile = headFile;
        }

        void check(AuditReader.RawLine raw) {
            lines = raw.number();
            if (problem != null) {
                return;
            }
            String why = problemWith(raw);
            if (why != null) {
                badLine = raw.number();
                problem = "line " + raw.number() + ": " + why;
            }
        }

        void checkEnd() {
            if (head.isEmpty()) {
                if (sawKeyed) {
                    badLine = lines + 1;
                    problem = "the chain head " + headFile + " is missing: keyed entries exist, so it was deleted, "
                            + "and entries cut from the end of the log cannot be ruled out";
                }
                return;
            }
            long lastSeq = previous == null ? 0 : previous.seq();
            if (lastSeq < head.get().seq()) {
                badLine = lines + 1;
                problem = "the log was cut short: it ends at line " + lines + (previous == null ? "" : " (#" + lastSeq
                        + ")") + ", but #" + head.get().seq() + " was written (chain head " + headFile + "): entries #"
                        + (lastSeq + 1) + " to #" + head.get().seq() + " were removed";
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
            boolean keyed = key.isPresent() && sealed.get().sealedWith(key.get());
            if (!keyed) {
                if (!sealed.get().unkeyed()) {
                    return key.isPresent()
                            ? "hash mismatch: the line was edited after it was written"
                            : "hash mismatch, and there is no audit key (" + keyFile + ") to check it as a keyed line: "
                                    + "the line was edited, or the key was deleted";
                }
                if (sawKeyed) {
                    return "sealed with a plain SHA-256, not with this project's audit key, after keyed entries: "
                            + "the line was rewritten and its hash recomputed";
                }
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
                        ? "prev_hash is not the genesis value (#" + e.seq() + "): entries before it were removed"
                        : "prev_hash mismatch: #" + e.seq() + " does not chain to line " + (raw.number() - 1)
                                + " (#" + previous.seq() + "): " + (e.seq() <= previous.seq()
                                ? "lines were reordered" : "entries were removed (cut out, or cut from the end "
                                + "before this entry was written) or lines were reordered");
            }
            if (e.seq() != expectedSeq) {
                return "sequence gap: expected #" + expectedSeq + ", found #" + e.seq();
            }
            if (head.isPresent() && e.seq() == head.get().seq() && !head.get().hash().equals(sealed.get().hash())) {
                return "#" + e.seq() + " is not the entry that was written as #" + e.seq() + " (chain head " + headFile
                        + "): the log was rewritten";
            }
            count++;
            if (keyed) {
                sawKeyed = true;
            } else {
                unkeyed++;
            }
            if (first == null) {
                first = e;
            }
            previous = e;
            return null;
        }
    }
}
