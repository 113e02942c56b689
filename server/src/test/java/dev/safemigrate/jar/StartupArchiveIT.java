package dev.safemigrate.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.cli.init.ArchiveLauncher;
import dev.safemigrate.cli.init.StartupArchive;

/**
 * The start-up class archive, started the way init's .mcp.json starts it (ArchiveLauncher): made by
 * a training run of the built jar, mapped by the next start, and never mapped when it is not the
 * file init made — while the server still answers tools/list with nothing but JSON-RPC on stdout.
 *
 * <p>Two tests show why the launcher checks: the JVM alone maps an archive whose bytes were changed
 * past its header, and one trained on another jar of the same size and time, whose code then runs.
 */
@Timeout(600)
class StartupArchiveIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OURS = "serving over stdio";
    private static final String FORGED = "CRAFTED ARCHIVE!!!"; // as long as OURS, so the class file keeps its size

    @TempDir
    static Path shared;
    /** The user's jar, at a path of its own: the archives below record it. */
    static Path jar;
    static Path archive;
    static Path config;

    @TempDir
    Path root;

    @BeforeAll
    static void initMadeAnArchive() throws Exception {
        jar = Files.copy(JarServer.jar(), shared.resolve("safemigrate.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        archive = shared.resolve("cache/startup.jsa");
        config = shared.resolve("config");
        assertNull(StartupArchive.create(jar, archive, Duration.ofSeconds(300)));
        ArchiveLauncher.recordFingerprint(config, archive);
    }

    @Test
    void theArchiveInitMadeIsMappedByTheNextStart() throws Exception {
        Started s = start(copyOfTheArchive());
        assertTrue(s.fromArchive() > 1000, "the server's classes come from the archive: " + s.fromArchive() + "\n" + s.stderr.lines().filter(l -> !l.contains("class,load")).toList());
        assertTrue(s.stderr.contains("dev.safemigrate.mcp.SafemigrateServer source: shared objects file (top)"), s.stderr);
        assertFalse(s.stderr.contains("not using the start-up class archive"), s.stderr);
    }

    /**
     * The training run goes past tools/list (status, a create_migration, the idle warm-up): a first call
     * then finds Flyway's plugins, the analysis, JSqlParser and the validator in the archive instead of
     * loading them from the jar.
     */
    @Test
    void theArchiveHoldsWhatAFirstCallLoads() throws Exception {
        Process p = new ProcessBuilder(JarServer.javaExecutable(), "-XX:SharedArchiveFile=" + archive,
                "-XX:+PrintSharedArchiveAndExit", "-jar", jar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        for (String cls : List.of("org.flywaydb.core.internal.plugin.PluginRegister", "net.sf.jsqlparser.parser.CCJSqlParser",
                "dev.safemigrate.analysis.rules.RuleSet", "dev.safemigrate.analysis.BoundaryCheck",
                "com.networknt.schema.SchemaRegistry", "org.postgresql.Driver")) {
            assertTrue(listing.contains(" " + cls + " "), cls + " in the archive");
        }
    }

    @Test
    void withoutAnArchiveTheServerStartsWithoutOne() throws Exception {
        Path missing = root.resolve("nowhere/startup.jsa");
        Started s = start(launcher(missing, ArchiveLauncher.record(config, archive)));
        assertRefused(s, missing);
    }

    /** The JVM reads the archive's header only: bytes changed past it are mapped, and then crash it (SIGSEGV). */
    @Test
    void theJvmAloneMapsAnArchiveWhoseBytesWereChanged() throws Exception {
        Path damaged = damage(copyOfTheArchive());
        Started s = startJvm(damaged);
        assertTrue(s.fromArchive() > 0, "the JVM mapped the damaged archive: " + s.stderr);
        assertFalse(s.stderr.contains("Unable to use shared archive"), s.stderr);
    }

    @Test
    void anArchiveWhoseBytesWereChangedIsNotMapped() throws Exception {
        Path damaged = damage(copyOfTheArchive());
        Started s = start(damaged);
        assertRefused(s, damaged);
    }

    /**
     * An archive trained on a forged jar that had the user's jar's path, size and time for the
     * training (an unprivileged user gets that with a bind mount in a user namespace; here the file
     * is swapped and put back): the JVM maps it, -XX:+VerifySharedSpaces too, and the forged code runs
     * although the jar on disk is the user's, byte for byte. The launcher does not map it.
     */
    @Test
    void anArchiveTrainedOnAForgedJarOfTheSameSizeAndTimeIsNotMapped() throws Exception {
        Path forgedJar = forge(jar, root.resolve("forged.jar"));
        assertEquals(Files.size(jar), Files.size(forgedJar));
        Path pristine = Files.copy(jar, root.resolve("pristine.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path crafted = root.resolve("crafted.jsa");
        try {
            Files.copy(forgedJar, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            assertNull(StartupArchive.create(jar, crafted, Duration.ofSeconds(300)));
        } finally {
            Files.copy(pristine, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        assertEquals(-1, Files.mismatch(jar, JarServer.jar()), "the user's jar is the built one again");

        Started alone = startJvm(crafted, "-XX:+VerifySharedSpaces");
        assertTrue(alone.stderr.contains(FORGED), "the JVM alone runs the forged code: " + alone.stderr);

        // the crafted archive where init's was, under its name
        Path installed = copyOfTheArchive();
        Files.copy(crafted, installed, StandardCopyOption.REPLACE_EXISTING);
        Started s = start(installed);
        assertRefused(s, installed);
        assertFalse(s.stderr.contains(FORGED), s.stderr);
        assertTrue(s.stderr.contains(OURS), s.stderr);
    }

    /** An upgraded jar before init ran again: the record matches, the JVM itself finds the archive stale. */
    @Test
    void anArchiveOfTheJarBeforeItChangedStillStarts() throws Exception {
        Path installed = copyOfTheArchive();
        FileTime built = Files.getLastModifiedTime(jar);
        try {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(built.toMillis() + 60_000));
            Started s = start(installed);
            assertEquals(0, s.fromArchive(), s.stderr);
            assertTrue(s.stderr.contains("Unable to use shared archive"), "the JVM says so on stderr: " + s.stderr);
            assertFalse(s.stderr.contains("not using the start-up class archive"), "the launcher had no reason to refuse it");
        } finally {
            Files.setLastModifiedTime(jar, built);
        }
    }

    private static void assertRefused(Started s, Path archive) {
        assertEquals(0, s.fromArchive(), "no class from the archive: " + s.stderr);
        assertTrue(s.stderr.contains("safemigrate: not using the start-up class archive " + archive + ": "), s.stderr);
    }

    /** The archive init made, under a name of this test's, with a record of its own: what init would have left. */
    private Path copyOfTheArchive() throws Exception {
        Path copy = Files.createDirectories(root.resolve("cache")).resolve("startup.jsa");
        Files.copy(archive, copy, StandardCopyOption.REPLACE_EXISTING);
        ArchiveLauncher.recordFingerprint(config, copy);
        return copy;
    }

    /** Flips 64 bytes in the middle of the file, in place, and puts its modification time back. */
    private static Path damage(Path archive) throws Exception {
        FileTime made = Files.getLastModifiedTime(archive);
        archive.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            long at = f.length() / 2;
            byte[] b = new byte[64];
            f.seek(at);
            f.readFully(b);
            for (int i = 0; i < b.length; i++) {
                b[i] ^= (byte) 0xFF;
            }
            f.seek(at);
            f.write(b);
        }
        Files.setLastModifiedTime(archive, made);
        return archive;
    }

    /** The jar with one string of the server's changed, padded to the same size, with the same modification time. */
    private static Path forge(Path jar, Path forged) throws Exception {
        String target = "dev/safemigrate/Main.class";
        for (int pad = 0, round = 0; round < 2; round++) {
            try (ZipFile in = new ZipFile(jar.toFile());
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(forged))) {
                out.setLevel(Deflater.BEST_COMPRESSION);
                for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    byte[] bytes = in.getInputStream(entry).readAllBytes();
                    if (entry.getName().equals(target)) {
                        String text = new String(bytes, StandardCharsets.ISO_8859_1);
                        assertTrue(text.contains(OURS));
                        bytes = text.replace(OURS, FORGED).getBytes(StandardCharsets.ISO_8859_1);
                    }
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
                ZipEntry padding = new ZipEntry("META-INF/pad");
                byte[] zeros = new byte[pad];
                CRC32 crc = new CRC32();
                crc.update(zeros);
                padding.setMethod(ZipEntry.STORED);
                padding.setSize(pad);
                padding.setCrc(crc.getValue());
                padding.setTime(0);
                out.putNextEntry(padding);
                out.write(zeros);
                out.closeEntry();
            }
            pad += Files.size(jar) - Files.size(forged);
            assertTrue(pad >= 0, "the forged jar is not larger than the user's");
        }
        Files.setLastModifiedTime(forged, Files.getLastModifiedTime(jar));
        return forged;
    }

    private record Started(List<String> stdout, String stderr) {
        long fromArchive() {
            return stderr.lines().filter(l -> l.contains("source: shared objects file (top)")).count();
        }
    }

    /** The .mcp.json command line, with the archive's record, and class loading logged to stderr. */
    private static List<String> launcher(Path archive, Path record) {
        List<String> cmd = new ArrayList<>(ArchiveLauncher.command(JarServer.javaExecutable(), archive, record, jar));
        cmd.add(cmd.indexOf("-jar"), "-Xlog:class+load=info:stderr"); // after -Xlog:disable, which would turn it off
        return cmd;
    }

    private Started start(Path archive) throws Exception {
        return start(launcher(archive, ArchiveLauncher.record(config, archive)));
    }

    /** The JVM given the archive directly, unchecked, as .mcp.json ran it before the launcher. */
    private Started startJvm(Path archive, String... extraOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JarServer.javaExecutable()));
        cmd.addAll(StartupArchive.jvmOptions(archive));
        cmd.addAll(List.of(extraOptions));
        cmd.addAll(List.of("-Xlog:class+load=info:stderr", "-jar", jar.toString(), "serve"));
        return start(cmd, false);
    }

    private Started start(List<String> command) throws Exception {
        return start(command, true);
    }

    /**
     * Starts the server, lists the tools, closes stdin. With {@code mustServe} every stdout line must be
     * JSON-RPC and tools/list answered; without, only what happened is returned (a damaged archive may crash the JVM).
     */
    private Started start(List<String> command, boolean mustServe) throws Exception {
        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("safemigrate.toml"), "[dev]\nurl = \"jdbc:postgresql://127.0.0.1:1/x\"\nuser = \"x\"\n");
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--config", project.resolve("safemigrate.toml").toString()));
        Path err = root.resolve("stderr-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectError(err.toFile()).start();
        List<String> lines = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            JsonNode tools = null;
            for (String line; tools == null && (line = out.readLine()) != null; ) {
                lines.add(line);
                JsonNode m;
                try {
                    m = JSON.readTree(line);
                } catch (tools.jackson.core.JacksonException e) {
                    if (mustServe) {
                        throw e; // nothing but JSON-RPC on stdout
                    }
                    continue;
                }
                if (m.path("id").asInt() == 2) {
                    tools = m.path("result").path("tools");
                }
            }
            if (mustServe) {
                assertTrue(tools != null, "tools/list answered: " + lines + "\nstderr: " + Files.readString(err));
                assertEquals(5, tools.size(), tools.toString());
            }
            in.close();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (mustServe) {
                    JSON.readTree(line); // nothing but JSON-RPC on stdout, up to the end
                }
            }
        } catch (java.io.IOException e) {
            if (mustServe) {
                throw e;
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits once stdin closes");
        return new Started(lines, Files.readString(err));
    }
}
