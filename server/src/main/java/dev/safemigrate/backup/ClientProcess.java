package dev.safemigrate.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs a PostgreSQL client program (pg_dump, pg_restore) against one database. */
final class ClientProcess {

    record Finished(int exit, String output) {}

    private ClientProcess() {}

    /** @param options the program's own options, after the connection options (pg_restore's file goes last) */
    static Finished run(String executable, List<String> options, DumpTarget target)
            throws IOException, InterruptedException {
        return start(executable, options, target).finish();
    }

    /** The program started and left running, so that the caller can work meanwhile. */
    static Running start(String executable, List<String> options, DumpTarget target) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(List.of("--no-password", "--host=" + target.host(), "--port=" + target.port(),
                "--dbname=" + target.database()));
        if (target.user() != null) {
            cmd.add("--username=" + target.user());
        }
        cmd.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // the password goes through the environment, never the command line other users can read
        if (target.password() != null) {
            pb.environment().put("PGPASSWORD", target.password());
        }
        // a service file or a host address in the environment could silently point the program at
        // another server than the configured one
        for (String variable : List.of("PGSERVICE", "PGSERVICEFILE", "PGHOSTADDR", "PGSYSCONFDIR")) {
            pb.environment().remove(variable);
        }
        return new Running(pb.start());
    }

    /** A started program whose messages are read as they come: a full pipe would stall it. */
    static final class Running {
        private final Process process;
        private final Thread reader;
        private volatile String output = "";

        private Running(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try {
                    output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    output = "(its output could not be read: " + e.getMessage() + ")";
                }
            }, "safemigrate-client-output");
            reader.setDaemon(true);
            reader.start();
        }

        Finished finish() throws InterruptedException {
            int exit = process.waitFor();
            reader.join();
            return new Finished(exit, output);
        }

        /** Stops the program and waits for it, so that nothing writes to its files afterwards. */
        void stop() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
