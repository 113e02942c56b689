package dev.safemigrate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering with the log in each way a person or an agent might, and the line verify names. */
class ChainVerifierTest {

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void fiveEntries() throws Exception {
        file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(file);
        for (String tool : List.of("status", "create_migration", "show_sql", "apply_to_dev", "backup")) {
            log.append(Calls.allowed(tool));
        }
    }

    @Test
    void anUntouchedLogIsIntact() throws Exception {
        ChainReport r = ChainVerifier.verify(file);
        assertTrue(r.intact(), r.problem());
        assertEquals(5, r.entries());
        assertEquals(1, r.first().seq());
        assertEquals("backup", r.last().tool());
        assertEquals(0, r.badLine());
        assertNull(r.problem());
    }

    @Test
    void anEditedLineIsNamedAsHashMismatch() throws Exception {
        List<String> lines = lines();
        lines.set(2, lines.get(2).replace("\"decision\":\"allowed\"", "\"decision\":\"refused\""));
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertFalse(r.intact());
        assertEquals(3, r.badLine());
        assertTrue(r.problem().startsWith("line 3: hash mismatch"), r.problem());
        assertEquals(2, r.entries(), "entries before the bad line");
    }

    @Test
    void aRemovedLineIsNamedAtTheLineThatFollowsTheGap() throws Exception {
        List<String> lines = lines();
        lines.remove(2);
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertEquals(3, r.badLine());
        assertTrue(r.problem().startsWith("line 3: prev_hash mismatch: seq 4 does not chain to line 2 (seq 2)"), r.problem());
        assertTrue(r.problem().contains("removed"), r.problem());
    }

    @Test
    void twoSwappedLinesAreNamedAtTheFirstOfThem() throws Exception {
        List<String> lines = lines();
        Collections.swap(lines, 1, 2);
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertEquals(2, r.badLine());
        assertTrue(r.problem().startsWith("line 2: prev_hash mismatch: seq 3 does not chain to line 1 (seq 1)"), r.problem());
        assertTrue(r.problem().contains("reordered"), r.problem());
    }

    @Test
    void aRemovedFirstLineIsNamed() throws Exception {
        List<String> lines = lines();
        lines.remove(0);
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertEquals(1, r.badLine());
        assertTrue(r.problem().contains("prev_hash is not the genesis value"), r.problem());
    }

    @Test
    void aSequenceGapWithAConsistentChainIsNamed() throws Exception {
        // a writer that skipped a number (or a forger who re-chained): hashes fine, seq not
        List<String> lines = lines();
        AuditEntry last = AuditLine.parse(lines.get(4));
        AuditEntry skipping = last.chainedAfter(last.seq() + 1, last.hash());
        lines.add(AuditLine.seal(skipping).line());
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertEquals(6, r.badLine());
        assertEquals("line 6: sequence gap: expected seq 6, found 7", r.problem());
    }

    @Test
    void anAppendedBlankLineOrGarbageIsNamed() throws Exception {
        List<String> lines = lines();
        lines.add(3, "");
        write(lines);
        assertEquals(4, ChainVerifier.verify(file).badLine());

        lines.set(3, "{\"seq\":4,\"tool\":\"status\"}");
        write(lines);
        ChainReport r = ChainVerifier.verify(file);
        assertEquals(4, r.badLine());
        assertTrue(r.problem().contains("not a sealed audit entry"), r.problem());
    }

    @Test
    void aMissingLogIsAnEmptyIntactChain() throws Exception {
        ChainReport r = ChainVerifier.verify(dir.resolve("none.jsonl"));
        assertTrue(r.intact());
        assertEquals(0, r.entries());
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file));
    }

    private void write(List<String> lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n");
    }
}
