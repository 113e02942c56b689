package dev.safemigrate.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pg_dump executable: its version, and one custom-format dump of one snapshot. */
public final class PgDump {

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    private final String executable;

    public PgDump(String executable) {
        this.executable = executable;
    }

    public record Version(String text, int major) {}

    public Version version() throws BackupException {
        String out;
        try {
            Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new BackupException("'" + executable + " --version' failed: " + out, installHint());
            }
        } catch (IOException e) {
            throw new BackupException("pg_dump not found: could not run '" + executable + "' (" + e.getMessage() + ")",
                    installHint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while asking pg_dump for its version", installHint());
        }
        Matcher m = VERSION.matcher(out.replaceFirst("^[^0-9]*", ""));
        if (!m.lookingAt()) {
            throw new BackupException("cannot read a version from '" + out + "'", installHint());
        }
        return new Version(out, Integer.parseInt(m.group(1)));
    }

    /** pg_dump refuses servers newer than itself; say so before it fails halfway. */
    public static void requireCompatible(Version pgDump, int serverVersionNum, String executable) throws BackupException {
        int serverMajor = serverVersionNum / 10000;
        if (pgDump.major() < serverMajor) {
            throw new BackupException("pg_dump " + pgDump.major() + " is older than the server (PostgreSQL " + serverMajor
                    + ") and cannot dump it (" + executable + ": " + pgDump.text() + ")",
                    "Install pg_dump " + serverMajor + " or newer (Debian/Ubuntu: apt-get install postgresql-client-"
                            + serverMajor + ") and set [backup] pg_dump = \"/usr/lib/postgresql/" + serverMajor
                            + "/bin/pg_dump\" in safemigrate.toml.");
        }
    }

    public void dump(DumpTarget target, String snapshot, Path outFile) throws BackupException {
        start(target, snapshot, outFile).await();
    }

    /**
     * Starts a dump and returns while it runs: the caller can read the same snapshot meanwhile
     * (the row counts), so the two take the time of the longer instead of their sum.
     */
    public Running start(DumpTarget target, String snapshot, Path outFile) throws BackupException {
        List<String> options = new ArrayList<>(List.of("--format=custom", "--file=" + outFile));
        if (snapshot != null) {
            options.add("--snapshot=" + snapshot);
        }
        try {
            return new Running(ClientProcess.start(executable, options, target));
        } catch (IOException e) {
            throw new BackupException("could not run pg_dump '" + executable + "': " + e.getMessage(), installHint());
        }
    }

    /** A pg_dump under way. */
    public static final class Running {
        private final ClientProcess.Running process;

        private Running(ClientProcess.Running process) {
            this.process = process;
        }

        /** Waits for the dump to end. @throws BackupException unless it completed */
        public void await() throws BackupException {
            try {
                ClientProcess.Finished done = process.finish();
                if (done.exit() != 0) {
                    throw new BackupException("pg_dump exited with " + done.exit() + ": " + done.output(),
                            "Read pg_dump's message above; the database was not changed and no backup file was kept.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop();
                throw new BackupException("interrupted while pg_dump was running", "Run backup again.");
            }
        }

        /** Ends the dump unfinished, once nothing will use its file. */
        public void abort() {
            process.stop();
        }
    }

    private String installHint() {
        return "Install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install "
                + "libpq) or set [backup] pg_dump in safemigrate.toml to the full path of pg_dump (now: '" + executable + "').";
    }
}
