package dev.safemigrate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers on one log: whole lines, one chain, no number used twice. */
class ConcurrentWritersTest {

    @TempDir
    Path dir;

    @Test
    void threadsWithSeparateWritersKeepOneChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 4;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String tool = "thread-" + t;
            AuditLog log = Logs.at(file);
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    log.append(Calls.allowed(tool));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertWholeChain(file, threads * each);
    }

    @Test
    void processesAndThisJvmKeepOneChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int each = 150;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    AppendMany.class.getName(), file.toString(), String.valueOf(each))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + p + ".out").toFile()).start());
        }
        AuditLog here = Logs.at(file);
        for (int i = 0; i < each; i++) {
            here.append(Calls.allowed("this-jvm"));
        }
        for (int p = 0; p < children.size(); p++) {
            assertTrue(children.get(p).waitFor(120, TimeUnit.SECONDS), "child " + p + " did not finish");
            assertEquals(0, children.get(p).exitValue(), Files.readString(dir.resolve("child-" + p + ".out")));
        }
        Set<String> writers = assertWholeChain(file, 3 * each);
        assertEquals(3, writers.size(), "all three writers appended: " + writers);
    }

    /** @return the distinct tools (writers) seen */
    private static Set<String> assertWholeChain(Path file, int expected) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertEquals(expected, lines.size());
        Set<String> writers = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            AuditEntry e = AuditLine.parse(lines.get(i));
            assertEquals(i + 1, e.seq(), "line " + (i + 1));
            writers.add(e.tool());
        }
        ChainReport r = Logs.verify(file);
        assertTrue(r.intact(), r.problem());
        assertEquals(expected, r.entries());
        return writers;
    }
}
