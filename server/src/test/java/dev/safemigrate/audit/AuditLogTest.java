package dev.safemigrate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void writesOneSealedLinePerCallChainedFromGenesis() throws Exception {
        Path file = dir.resolve(".safemigrate/audit.jsonl");
        AuditLog log = Logs.at(file);
        log.append(Calls.allowed("status"));
        log.append(Calls.allowed("show_sql"));
        AuditEntry third = log.append(Calls.failed("apply_to_dev", "NOT_DEV_DATABASE", "refusing to write"));

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(Files.readString(file).endsWith("\n"), "whole lines only");
        String prev = "0".repeat(64);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith("{\"seq\":" + (i + 1) + ",\"time\":\""), "fixed key order, no whitespace: " + line);
            Matcher m = Pattern.compile("(.*),\"hash\":\"([0-9a-f]{64})\"}").matcher(line);
            assertTrue(m.matches(), "hash is the last member: " + line);
            // the documented canonical form and HMAC, computed independently of AuditLine with the key file
            assertEquals(hmac(Files.readString(Logs.keys(file).file("audit.key")).strip(), m.group(1) + "}"), m.group(2));
            assertFalse(sha256(m.group(1) + "}").equals(m.group(2)), "keyed, not a plain SHA-256");
            assertTrue(line.contains("\"prev_hash\":\"" + prev + "\""), "line " + (i + 1) + " chains to the one before");
            prev = m.group(2);
        }
        assertEquals(3, third.seq());
        assertEquals(prev, third.hash());
    }

    @Test
    void recordsClientSessionDecisionAndSummary() throws Exception {
        AuditLog log = Logs.at(dir.resolve("audit.jsonl"));
        AuditEntry ok = log.append(Calls.allowed("status"));
        assertEquals("2026-11-25T10:00:00.123Z", ok.time());
        assertEquals("session-1", ok.session());
        assertEquals(new AuditEntry.Client("tests", "1.0"), ok.client());
        assertEquals(AuditEntry.ALLOWED, ok.decision());
        assertNull(ok.code());
        assertEquals(1, ok.summary().get("applied"));
        assertEquals(7, ok.durationMs());

        AuditEntry refused = log.append(Calls.failed("create_migration", "SQL_REJECTED", "DROP DATABASE is never allowed"));
        assertEquals(AuditEntry.REFUSED, refused.decision());
        assertEquals("SQL_REJECTED", refused.code());
        assertEquals("DROP DATABASE is never allowed", refused.reason());

        AuditEntry error = log.append(Calls.failed("backup", "BACKUP_FAILED", "pg_dump not found"));
        assertEquals(AuditEntry.ERROR, error.decision());
        assertEquals("BACKUP_FAILED", error.code());

        AuditEntry read = AuditReader.read(log.file()).get(1).entry();
        assertEquals(refused, read, "what is read back is what was written");
    }

    /** A result's record says what its line records: its own summary, never the token beside it. */
    record Applied(List<String> applied, String confirmationToken, String reason) implements Audited {
        @Override
        public Map<String, Object> auditSummary() {
            return new AuditSummary().put("applied", applied).put("backup", null)
                    .findings(List.of("info", "confirm"), List.of(new AcceptedFinding("drop-column",
                            "db/migrations/V2__x.sql", 4, reason))).build();
        }
    }

    @Test
    void anAuditedResultIsSummarisedByItsRecordWithAcceptedFindingsButNeverItsToken() throws Exception {
        Map<String, Object> structured = Map.of("applied", List.of(Map.of("version", "2")), "confirmation_token",
                "tok-secret-value");
        String longReason = "r".repeat(5000);
        AuditEntry e = Logs.at(dir.resolve("audit.jsonl")).append(new ToolCall(Instant.now(), "s",
                new AuditEntry.Client("c", "1"), "apply_to_dev", Map.of(), false, structured, 1)
                .summarisedBy(new Applied(List.of("2", "3"), "tok-secret-value", longReason)));
        assertEquals(List.of("2", "3"), e.summary().get("applied"));
        assertFalse(e.summary().containsKey("backup"), "absent facts are left out");
        assertEquals(Map.of("confirm", 1, "info", 1), e.summary().get("findings"));
        @SuppressWarnings("unchecked")
        Map<String, Object> accepted = ((List<Map<String, Object>>) e.summary().get("accepted")).get(0);
        assertEquals("drop-column", accepted.get("rule"));
        assertEquals("db/migrations/V2__x.sql", accepted.get("file"));
        assertEquals(4, accepted.get("line"));
        assertEquals(AcceptedFinding.MAX_REASON, ((String) accepted.get("reason")).length(), "a reason cannot flood the log");
        assertFalse(Files.readString(dir.resolve("audit.jsonl")).contains("tok-secret-value"));
        assertTrue(Logs.verify(dir.resolve("audit.jsonl")).trusted());
    }

    @Test
    void aSummaryThatFailsStillLeavesTheCallItsLine() throws Exception {
        Audited broken = () -> {
            throw new IllegalStateException("bug");
        };
        AuditEntry e = Logs.at(dir.resolve("audit.jsonl")).append(Calls.unsummarised("status").summarisedBy(broken));
        assertEquals("db/migrations", e.summary().get("migrations_dir"), "derived from the structured result instead");
        assertEquals(1, e.summary().get("migrations_count"), "a list leaves its size");
    }

    @Test
    void aConfirmationRefusalIsRefusedAndItsTokenIsNotLogged() throws Exception {
        Map<String, Object> result = Map.of("error", Map.of("code", "CONFIRMATION_REQUIRED", "message", "drops table users",
                "hint", "ask"), "confirmation_token", "tok-issued-to-the-agent", "findings",
                List.of(Map.of("severity", "confirm"), Map.of("severity", "warn"), Map.of("severity", "confirm")));
        AuditEntry e = Logs.at(dir.resolve("audit.jsonl")).append(new ToolCall(Instant.now(), "s",
                new AuditEntry.Client("c", "1"), "apply_to_dev", Map.of(), true, result, 1));
        assertEquals(AuditEntry.REFUSED, e.decision());
        assertEquals("CONFIRMATION_REQUIRED", e.code());
        assertEquals(Map.of("confirm", 2, "warn", 1), e.summary().get("findings"));
        assertFalse(Files.readString(dir.resolve("audit.jsonl")).contains("tok-issued-to-the-agent"));
    }

    @Test
    void sqlIsLoggedAsDigestAndFirstThreeLinesNeverWhole() throws Exception {
        String sql = "create table a (id int);\n-- second\ncreate role x password 'hunter2';\ncreate table secret_fourth (id int);\n";
        AuditLog log = Logs.at(dir.resolve("audit.jsonl"));
        AuditEntry e = log.append(Calls.withArguments("create_migration", Map.of("name", "add_a", "sql", sql)));

        String raw = Files.readString(log.file());
        assertFalse(raw.contains("secret_fourth"), "the fourth line must not be logged: " + raw);
        assertFalse(raw.contains("hunter2"), "a password literal must not be logged: " + raw);
        @SuppressWarnings("unchecked")
        Map<String, Object> digest = (Map<String, Object>) e.arguments().get("sql");
        assertEquals(sha256(sql), digest.get("sha256"));
        assertEquals(sql.getBytes(StandardCharsets.UTF_8).length, digest.get("bytes"));
        assertEquals(List.of("create table a (id int);", "-- second", "create role x password '***';"),
                digest.get("first_lines"));
        assertEquals("add_a", e.arguments().get("name"));
    }

    @Test
    void confirmationTokenIsNeverLogged() throws Exception {
        String token = "ctok-7f3a9b2c4d5e6f708192a3b4c5d6e7f8";
        AuditLog log = Logs.at(dir.resolve("audit.jsonl"));
        AuditEntry e = log.append(Calls.withArguments("apply_to_dev", Map.of("confirm", token, "dry_run", false)));

        assertFalse(Files.readString(log.file()).contains(token));
        assertFalse(Files.readString(log.file()).contains(token.substring(5, 17)));
        assertEquals(Map.of("present", true, "sha256_prefix", sha256(token).substring(0, 12)), e.arguments().get("confirm"));
        assertEquals(false, e.arguments().get("dry_run"));
    }

    @Test
    void aNewWriterContinuesTheChainOfTheFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditEntry first = Logs.at(file).append(Calls.allowed("status"));
        AuditEntry second = Logs.at(file).append(Calls.allowed("status"));
        assertEquals(2, second.seq());
        assertEquals(first.hash(), second.prevHash());
        assertTrue(Logs.verify(file).intact());
    }

    @Test
    void aTornLastLineStaysVisibleAndTheNextEntryStartsOnItsOwnLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = Logs.at(file);
        AuditEntry first = log.append(Calls.allowed("status"));
        Files.writeString(file, "{\"seq\":2,\"ti", StandardOpenOption.APPEND);

        AuditEntry next = log.append(Calls.allowed("status"));
        assertEquals(2, next.seq());
        assertEquals(first.hash(), next.prevHash());
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals("{\"seq\":2,\"ti", lines.get(1));
        ChainReport report = Logs.verify(file);
        assertEquals(2, report.badLine(), report.problem());
    }

    @Test
    void findsTheLastEntryBeyondTheFirstChunkRead() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = Logs.at(file);
        String big = "x".repeat(150);
        for (int i = 0; i < 600; i++) {
            log.append(Calls.withArguments("create_migration", Map.of("name", big + i)));
        }
        assertTrue(Files.size(file) > 64 * 1024);
        assertEquals(601, log.append(Calls.allowed("status")).seq());
        assertTrue(Logs.verify(file).intact());
    }

    @Test
    void findsALastEntryLongerThanTheFirstChunkRead() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = Logs.at(file);
        log.append(Calls.allowed("status"));
        long before = Files.size(file);
        log.append(Calls.failed("status", "DATABASE_UNREACHABLE", "y".repeat(40_000)));
        assertTrue(Files.size(file) - before > 32 * 1024, "the second entry is longer than two first chunks");
        assertEquals(3, log.append(Calls.allowed("status")).seq());
        assertTrue(Logs.verify(file).intact());
    }

    static String hmac(String hexKey, String s) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
