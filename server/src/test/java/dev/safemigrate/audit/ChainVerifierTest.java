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
        AuditLog log = Logs.at(file);
        for (String tool : List.of("status", "create_migration", "show_sql", "apply_to_dev", "backup")) {
            log.append(Calls.allowed(tool));
        }
    }

    @Test
    void anUntouchedLogIsIntact() throws Exception {
        ChainReport r = Logs.verify(file);
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
        ChainReport r = Logs.verify(file);
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
        ChainReport r = Logs.verify(file);
        assertEquals(3, r.badLine());
        assertTrue(r.problem().startsWith("line 3: prev_hash mismatch: #4 does not chain to line 2 (#2)"), r.problem());
        assertTrue(r.problem().contains("removed"), r.problem());
    }

    @Test
    void twoSwappedLinesAreNamedAtTheFirstOfThem() throws Exception {
        List<String> lines = lines();
        Collections.swap(lines, 1, 2);
        write(lines);
        ChainReport r = Logs.verify(file);
        assertEquals(2, r.badLine());
        assertTrue(r.problem().startsWith("line 2: prev_hash mismatch: #3 does not chain to line 1 (#1)"), r.problem());
        assertTrue(r.problem().contains("reordered"), r.problem());
    }

    @Test
    void aRemovedFirstLineIsNamed() throws Exception {
        List<String> lines = lines();
        lines.remove(0);
        write(lines);
        ChainReport r = Logs.verify(file);
        assertEquals(1, r.badLine());
        assertTrue(r.problem().contains("prev_hash is not the genesis value"), r.problem());
    }

    @Test
    void aSequenceGapWithAConsistentChainIsNamed() throws Exception {
        // a writer that skipped a number (or a forger who re-chained): hashes fine, seq not
        List<String> lines = lines();
        AuditEntry last = AuditLine.parse(lines.get(4));
        AuditEntry skipping = last.chainedAfter(last.seq() + 1, last.hash());
        lines.add(AuditLine.seal(skipping, ChainKey.of(Logs.keys(file))).line());
        write(lines);
        ChainReport r = Logs.verify(file);
        assertEquals(6, r.badLine());
        assertEquals("line 6: sequence gap: expected #6, found #7", r.problem());
    }

    @Test
    void anAppendedBlankLineOrGarbageIsNamed() throws Exception {
        List<String> lines = lines();
        lines.add(3, "");
        write(lines);
        assertEquals(4, Logs.verify(file).badLine());

        lines.set(3, "{\"seq\":4,\"tool\":\"status\"}");
        write(lines);
        ChainReport r = Logs.verify(file);
        assertEquals(4, r.badLine());
        assertTrue(r.problem().contains("not a sealed audit entry"), r.problem());
    }

    @Test
    void aMissingLogIsAnEmptyIntactChain() throws Exception {
        ChainReport r = Logs.verify(dir.resolve("none.jsonl"));
        assertTrue(r.intact());
        assertEquals(0, r.entries());
    }

    @Test
    void aLogRewrittenWithARecomputedPlainChainFailsVerify() throws Exception {
        // the attack on a plain SHA-256 chain: edit a line, then recompute every hash after it
        List<String> lines = lines();
        List<String> original = List.copyOf(lines);
        lines.set(3, lines.get(3).replace("\"tool\":\"apply_to_dev\"", "\"tool\":\"status\""));
        write(rechainedWithPlainSha256(lines, 0));
        ChainReport r = Logs.verify(file);
        assertFalse(r.intact(), "a recomputed plain chain must not verify");
        assertFalse(r.trusted());
        assertEquals(5, r.badLine(), r.problem());
        assertTrue(r.problem().contains("is not the entry that was written as #5"), r.problem());

        List<String> tail = new ArrayList<>(original);
        tail.set(3, lines.get(3));
        write(rechainedWithPlainSha256(tail, 2));
        r = Logs.verify(file);
        // after lines 1-2 (keyed, untouched) a plain line can only be a rewrite
        assertEquals(3, r.badLine(), r.problem());
        assertTrue(r.problem().contains("plain SHA-256"), r.problem());
    }

    @Test
    void aLogCutShortFailsVerifyNamingTheCut() throws Exception {
        List<String> lines = lines();
        write(lines.subList(0, 3));
        ChainReport r = Logs.verify(file);
        assertFalse(r.intact());
        assertEquals(4, r.badLine());
        assertTrue(r.problem().startsWith("the log was cut short: it ends at line 3 (#3), but #5 was written"), r.problem());
        assertTrue(r.problem().contains("entries #4 to #5 were removed"), r.problem());

        Files.writeString(file, "");
        r = Logs.verify(file);
        assertFalse(r.intact(), "an emptied log is a log cut short");
        assertTrue(r.problem().contains("#1 to #5 were removed"), r.problem());
    }

    @Test
    void theNextEntryAfterACutChainsToTheRealLastEntrySoTheCutStaysVisible() throws Exception {
        write(lines().subList(0, 3));
        AuditEntry next = Logs.at(file).append(Calls.allowed("status"));
        assertEquals(6, next.seq(), "continues after #5, which was really written");
        ChainReport r = Logs.verify(file);
        assertEquals(4, r.badLine(), r.problem());
        assertTrue(r.problem().contains("#6 does not chain to line 3 (#3)") && r.problem().contains("removed"),
                r.problem());
    }

    @Test
    void aDeletedChainHeadIsReported() throws Exception {
        try (var files = Files.list(Logs.keys(file).dir())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("audit-head-")).toList()) {
                Files.delete(p);
            }
        }
        ChainReport r = Logs.verify(file);
        assertFalse(r.intact());
        assertTrue(r.problem().contains("chain head") && r.problem().contains("missing"), r.problem());
    }

    @Test
    void anOldUnkeyedLogIsConsistentButNotTrustedUntilKeyedEntriesAnchorIt() throws Exception {
        Path old = dir.resolve("old/audit.jsonl");
        Files.createDirectories(old.getParent());
        Files.writeString(old, String.join("\n", rechainedWithPlainSha256(lines(), 0)) + "\n");
        ChainReport r = Logs.verify(old);
        assertTrue(r.intact(), r.problem());
        assertFalse(r.trusted(), "an unkeyed chain anyone could have recomputed is not verified");
        assertEquals(5, r.unkeyed());

        Logs.at(old).append(Calls.allowed("status"));
        r = Logs.verify(old);
        assertTrue(r.intact(), r.problem());
        assertTrue(r.trusted());
        assertEquals(6, r.entries());
        assertEquals(5, r.unkeyed());
    }

    /** What a forger does with the documented canonical form: each line from {@code from} on re-hashed with SHA-256. */
    private static List<String> rechainedWithPlainSha256(List<String> lines, int from) throws Exception {
        List<String> out = new ArrayList<>(lines);
        String prev = from == 0 ? AuditLine.GENESIS : AuditLine.split(out.get(from - 1)).orElseThrow().hash();
        for (int i = from; i < out.size(); i++) {
            String canonical = AuditLine.split(out.get(i)).orElseThrow().canonical()
                    .replaceFirst("\"prev_hash\":\"[0-9a-f]{64}\"", "\"prev_hash\":\"" + prev + "\"");
            prev = AuditLogTest.sha256(canonical);
            out.set(i, canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + prev + "\"}");
        }
        return out;
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file));
    }

    private void write(List<String> lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n");
    }
}
