package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.safemigrate.config.KeyFolder;

/**
 * How .mcp.json starts the server: a POSIX shell that maps the start-up class archive only when it
 * is the very file init made, then execs the JVM, with the archive or without it.
 *
 * <p>The check has to run before the JVM does: the JVM maps the archive before any of our code runs,
 * and it does not look inside (StartupArchive says what it lets through). What init records, in the
 * user's configuration folder beside the keys ({@link KeyFolder#forArchive}, 0700/0600), is the
 * archive's inode, size, modification time and status-change time (ctime) to the nanosecond. Any
 * write to the file or a file put in its place sets the ctime to now, and no call an ordinary
 * process can make sets it back (utimensat sets only the access and modification times), so a
 * changed or swapped archive never matches. It costs one {@code stat}: the launcher took 3 ms to a
 * shell's 2 ms, where a sha256 of the 26 MB archive took 81 ms of a ~400 ms start (bench/README). The shell opens the
 * archive once and hands the JVM that open file ({@code /dev/fd/3}), so a file swapped in after the
 * check is not the one mapped.
 *
 * <p>What it cannot stop: an agent that can write the configuration folder rewrites the record too.
 * Claude Code's sandbox, as init configures it, denies writing both folders (ClaudePermissions).
 */
public final class ArchiveLauncher {

    private ArchiveLauncher() {}

    /** The fingerprint, from the archive open on fd 3: GNU stat, else BSD stat (macOS). */
    static final String FINGERPRINT = "stat -L -c %i:%s:%.9Y:%.9Z /dev/fd/3 2>/dev/null"
            + " || stat -L -f %i:%z:%Fm:%Fc /dev/fd/3 2>/dev/null";

    /** Tells the person once per start why it is slower; the JVM's own warnings follow on stderr as before. */
    static final String REFUSED = "safemigrate: not using the start-up class archive $a: it is missing or is not the "
            + "file safemigrate init made (recorded in $r); starting without it, slower. Run safemigrate init to make it again.";

    /**
     * {@code sh -c SCRIPT safemigrate ARCHIVE RECORD JAVA [OPTION…]}: {@code -XX:SharedArchiveFile}
     * goes right after JAVA when the fingerprint matches the record; otherwise JAVA runs as given.
     * {@code command exec} keeps a shell from exiting when the archive cannot be opened; the record is
     * read by the shell itself ({@code read}), so the check starts one process, {@code stat}.
     */
    static final String SCRIPT = "a=$1 r=$2; shift 2\n"
            + "if { command exec 3<\"$a\"; } 2>/dev/null && f=$(" + FINGERPRINT + ") && [ -n \"$f\" ] "
            + "&& IFS= read -r w 2>/dev/null <\"$r\" && [ \"$f\" = \"$w\" ]; then "
            + "j=$1; shift; exec \"$j\" -XX:SharedArchiveFile=/dev/fd/3 \"$@\"; fi\n"
            + "exec 3<&-\n"
            + "echo \"" + REFUSED + "\" >&2\n"
            + "exec \"$@\"\n";

    /** The file in the configuration folder that holds the fingerprint of {@code archive}. */
    public static Path record(Path userConfigHome, Path archive) {
        return KeyFolder.forArchive(userConfigHome, archive).resolve(RECORD);
    }

    private static final String RECORD = "fingerprint";

    /**
     * The command line .mcp.json runs: the launcher, then {@code java} with the server's options and
     * {@code -jar JAR serve}.
     */
    public static List<String> command(String java, Path archive, Path record, Path jar) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", SCRIPT, "safemigrate", archive.toString(), record.toString(),
                java));
        cmd.addAll(StartupArchive.SHARING);
        cmd.addAll(StartupArchive.RUNTIME);
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().normalize().toString(), "serve"));
        return List.copyOf(cmd);
    }

    /** Records what the archive is now: init calls it right after the training run made it. */
    public static void recordFingerprint(Path userConfigHome, Path archive) throws IOException {
        String fingerprint = fingerprint(archive)
                .orElseThrow(() -> new IOException("cannot read the fingerprint of " + archive + " with stat"));
        new KeyFolder(KeyFolder.forArchive(userConfigHome, archive)).write(RECORD, fingerprint + "\n");
    }

    /** Whether the archive is still the file whose fingerprint init recorded. */
    public static boolean matchesRecord(Path userConfigHome, Path archive) {
        try {
            Path record = record(userConfigHome, archive);
            Optional<String> now = fingerprint(archive);
            return now.isPresent() && Files.isRegularFile(record)
                    && Files.readString(record, StandardCharsets.UTF_8).strip().equals(now.get());
        } catch (IOException e) {
            return false;
        }
    }

    /** The fingerprint computed by the same shell text the launcher runs, so the two always agree. */
    static Optional<String> fingerprint(Path archive) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "exec 3<\"$1\" && " + FINGERPRINT, "safemigrate", archive.toString())
                .redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty() || out.contains("\n")) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
