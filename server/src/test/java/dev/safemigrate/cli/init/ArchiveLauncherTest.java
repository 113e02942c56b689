package dev.safemigrate.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's decision, without a JVM: {@code echo} stands in for java, so its output is the
 * command line java would get. StartupArchiveIT runs the real JVM through the same launcher.
 */
class ArchiveLauncherTest {

    @TempDir
    Path dir;
    Path config;
    Path archive;

    @BeforeEach
    void anArchiveInitMade() throws Exception {
        config = dir.resolve("config");
        archive = Files.write(Files.createDirectories(dir.resolve("cache")).resolve("startup-1.jsa"), bytes('a'));
        ArchiveLauncher.recordFingerprint(config, archive);
    }

    @Test
    void theArchiveInitRecordedIsMappedFromTheFileTheShellOpened() throws Exception {
        Launch l = launch();
        assertTrue(l.javaArgs().startsWith("-XX:SharedArchiveFile=/dev/fd/3 -Xshare:auto "), l.toString());
        assertTrue(l.javaArgs().endsWith(" -jar /opt/safemigrate.jar serve"), l.toString());
        assertEquals("", l.stderr());
    }

    @Test
    void theRecordIsTheUsersAloneBesideTheKeys() throws Exception {
        Path record = ArchiveLauncher.record(config, archive);
        assertEquals(config.resolve("safemigrate/archives/startup-1.jsa/fingerprint"), record);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record.getParent())));
    }

    /** Rewriting the bytes in place and putting the modification time back still changes the ctime. */
    @Test
    void anArchiveRewrittenInPlaceWithItsTimeRestoredIsNotMapped() throws Exception {
        FileTime made = Files.getLastModifiedTime(archive);
        Thread.sleep(20);
        Files.write(archive, bytes('b'));
        Files.setLastModifiedTime(archive, made);
        assertRefused(launch());
        assertFalse(ArchiveLauncher.matchesRecord(config, archive));
    }

    @Test
    void anotherFileOfTheSameSizeAndTimeMovedInItsPlaceIsNotMapped() throws Exception {
        Path other = Files.write(dir.resolve("other.jsa"), bytes('c'));
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(archive));
        Files.move(other, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertRefused(launch());
    }

    @Test
    void withoutAnArchiveOrARecordTheServerStartsWithoutTheArchive() throws Exception {
        Files.delete(ArchiveLauncher.record(config, archive));
        assertRefused(launch());
        Files.delete(archive);
        ArchiveLauncher.recordFingerprint(config, Files.write(archive, bytes('a')));
        Files.delete(archive);
        assertRefused(launch());
    }

    @Test
    void anArchiveStillAsInitMadeItMatchesItsRecord() {
        assertTrue(ArchiveLauncher.matchesRecord(config, archive));
    }

    private static void assertRefused(Launch l) {
        assertEquals("-Xshare:auto -Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -jar /opt/safemigrate.jar serve",
                l.javaArgs(), l.toString());
        assertTrue(l.stderr().startsWith("safemigrate: not using the start-up class archive " + l.archive), l.stderr());
    }

    private record Launch(Path archive, String javaArgs, String stderr) {}

    private Launch launch() throws Exception {
        List<String> cmd = new ArrayList<>(ArchiveLauncher.command("echo", archive, ArchiveLauncher.record(config, archive),
                Path.of("/opt/safemigrate.jar")));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return new Launch(archive, out, Files.readString(err).strip());
    }

    private static byte[] bytes(char c) {
        byte[] b = new byte[4096];
        java.util.Arrays.fill(b, (byte) c);
        return b;
    }
}
