package dev.safemigrate.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/**
 * kill -9 of the server while it replaces a pending migration, again and again: the folder never
 * holds zero or two versions of the migration, and the one there is one the agent asked for. The
 * server is driven with raw JSON-RPC lines so that this test owns the process it kills.
 */
@Timeout(300)
class ReplaceKillIT {

    private static final Pattern VERSION = Pattern.compile("\"structuredContent\":\\{.*?\"version\":\"([0-9._]+)\"");
    private static final Pattern FILE = Pattern.compile("V[0-9._]+__thing\\.sql");

    @TempDir
    Path root;

    @Test
    void aKilledReplaceLeavesExactlyOneVersionOfTheMigration() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("kill_replace"), "");
        Files.createDirectories(p.migrations());
        Files.writeString(p.migrations().resolve("V1__thing.sql"), "create table thing (id int);\n");
        Set<String> written = ConcurrentHashMap.newKeySet();
        written.add("create table thing (id int);\n");
        Random random = new Random(Long.getLong("seed", System.nanoTime()));
        int replaces = 0;
        for (int round = 0; round < 6; round++) {
            replaces += killDuringReplaces(p, written, random);
            List<Path> versions = versions(p);
            assertEquals(1, versions.size(), "round " + round + ": " + versions);
            assertTrue(written.contains(Files.readString(versions.get(0))), "the content is one the agent sent: "
                    + Files.readString(versions.get(0)));
        }
        assertTrue(replaces >= 6, "the server replaced the migration before each kill (" + replaces + " replaces)");
    }

    /**
     * Kills the server at a random moment within a replace: after the first one is answered (the
     * first call loads Flyway, and load on the machine varies), somewhere within the time one takes.
     *
     * @return how many replaces the server answered before it was killed
     */
    private int killDuringReplaces(ProjectDir p, Set<String> written, Random random) throws Exception {
        RawServer server = RawServer.start(root, p.configFile());
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong lastMs = new java.util.concurrent.atomic.AtomicLong();
        try {
            BufferedReader out = server.out;
            String version = current(p);
            Thread agent = new Thread(() -> {
                try {
                    String v = version;
                    for (int id = 1; ; id++) {
                        long started = System.nanoTime();
                        String sql = "create table thing (id int, c" + id + "_" + System.nanoTime() + " int);\n";
                        written.add(sql);
                        server.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                                + "\"create_migration\",\"arguments\":{\"name\":\"thing\",\"sql\":\"" + sql.replace("\n", "\\n")
                                + "\",\"replaces\":\"" + v + "\"}}}");
                        String line = out.readLine();
                        if (line == null) {
                            return;
                        }
                        Matcher m = VERSION.matcher(line);
                        if (!m.find()) {
                            throw new AssertionError("replace failed: " + line);
                        }
                        v = m.group(1);
                        lastMs.set((System.nanoTime() - started) / 1_000_000);
                        answered.incrementAndGet();
                    }
                } catch (IOException e) {
                    // the server was killed mid-call: expected
                }
            });
            agent.setDaemon(true);
            agent.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered.get() < 1 && System.nanoTime() < deadline && agent.isAlive()) {
                Thread.sleep(5);
            }
            assertTrue(answered.get() >= 1, "the first replace was answered; stderr: " + server.stderrText());
            Thread.sleep(random.nextInt((int) Math.max(1, 2 * lastMs.get())));
            server.kill();
            agent.join(10_000);
        } finally {
            server.close();
        }
        return answered.get();
    }

    private static String current(ProjectDir p) throws IOException {
        String name = versions(p).get(0).getFileName().toString();
        return name.substring(1, name.indexOf("__"));
    }

    private static List<Path> versions(ProjectDir p) throws IOException {
        try (Stream<Path> s = Files.walk(p.migrations())) {
            return new ArrayList<>(s.filter(f -> FILE.matcher(f.getFileName().toString()).matches()).sorted().toList());
        }
    }
}
