package dev.safemigrate.cli.init;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.safemigrate.mcp.SafemigrateServer;

/**
 * A class-data-sharing archive of the classes the server loads up to its first tool call, in the
 * user's cache folder: the JVM maps them instead of loading, verifying and linking them from the
 * jar at every start, which is most of the time before tools/list is answered. Made by one
 * training run of the jar with {@code -XX:ArchiveClassesAtExit} (JDK 13+; the user's JDK 17 is
 * enough). A JVM that finds it missing or stale (another jar, another JDK) runs without it, and its
 * warnings go to stderr, never to stdout, which is the MCP channel.
 *
 * <p>The JVM does not check what is inside: JDK 17 maps an archive whose header names the jar's
 * path, size and modification time, so bytes changed past the header crash it (SIGSEGV, its report
 * on stdout) and an archive trained on another jar of the same size and time runs that jar's code
 * (-XX:+VerifySharedSpaces checks a CRC the maker writes, so it stops neither). That is why
 * .mcp.json starts the server through {@link ArchiveLauncher}, which maps only the file init made.
 */
public final class StartupArchive {

    private StartupArchive() {}

    /**
     * {@code $XDG_CACHE_HOME/safemigrate}, else {@code ~/.cache/safemigrate}: the folder of the
     * archives, which init's Claude Code settings keep agents from writing. A relative
     * XDG_CACHE_HOME is ignored, as the XDG base-directory spec says (and as KeyFolder does).
     */
    public static Path folder(Function<String, String> environment) {
        String xdg = environment.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("safemigrate");
        }
        String home = environment.apply("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "safemigrate");
    }

    /**
     * {@code <folder>/startup-<hash>.jsa}: one per jar path, so an upgraded jar in the same place
     * overwrites its own stale archive.
     */
    public static Path location(Function<String, String> environment, Path jar) {
        return folder(environment).resolve("startup-" + hash(jar.toAbsolutePath().normalize().toString()) + ".jsa");
    }

    /** {@link #location} for this process's environment: where init makes it and .mcp.json points. */
    public static Path forJar(Path jar) {
        return location(System::getenv, jar);
    }

    /**
     * How the server's JVM runs, archive or not: the serial collector, since the heap is small and
     * one thread suffices. Both JIT tiers: the client tier alone (-XX:TieredStopAtLevel=1) started
     * about 100 ms sooner, but once the analysis streamed, a 15 MB create_migration took 2.6 s
     * under it against 1.5 s with the optimising compiler, its first call included (bench rows (a)
     * and (e), 2026-12-03, quiet: start 1.42–1.48× the TypeScript baseline either way).
     */
    static final List<String> RUNTIME = List.of("-XX:+UseSerialGC");

    /**
     * The JVM options that go with the archive, without naming it: the JVM's own warnings to stderr
     * (stdout is the MCP channel), and a JDK archive that cannot be used is skipped, not fatal.
     */
    static final List<String> SHARING = List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=warning:stderr");

    /** The JVM options that map the archive unchecked (its benchmarks and tests); .mcp.json uses {@link ArchiveLauncher}. */
    public static List<String> jvmOptions(Path archive) {
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(SHARING);
        options.addAll(RUNTIME);
        return List.copyOf(options);
    }

    /** Whether the archive exists and was made after the jar was last written. */
    public static boolean current(Path jar, Path archive) {
        try {
            return Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs the jar once as an MCP server with {@code -XX:ArchiveClassesAtExit}: the handshake,
     * tools/list, then, once the server says on stderr that its idle warm-up is done (Flyway's
     * plugins, the analysis, the validator: what a first call loads; a call would stop it), one
     * status call and one create_migration against an address where nothing listens (so no
     * database is touched: the analysis is the static one, the file goes to the training folder);
     * then stdin closes and the JVM writes the archive as it exits. Without them the archive held only what tools/list needs, and a first
     * create_migration loaded over a thousand classes from the jar.
     *
     * @return why it could not be made; null when it was
     */
    public static String create(Path jar, Path archive, Duration timeout) {
        Path training = null;
        Process p = null;
        try {
            Files.createDirectories(archive.getParent());
            training = Files.createTempDirectory("safemigrate-training");
            Files.writeString(training.resolve("safemigrate.toml"), """
                    [dev]
                    url = "jdbc:postgresql://127.0.0.1:1/safemigrate_training"
                    user = "training"
                    """);
            Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:ArchiveClassesAtExit=" + partial, "-Xlog:disable", "-Xlog:all=error:stderr"));
            cmd.addAll(RUNTIME);   // trained as it will run
            cmd.addAll(List.of("-jar", jar.toString(), "serve", "--config", training.resolve("safemigrate.toml").toString()));
            Path stderr = training.resolve("stderr.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(training.toFile())
                    .redirectError(stderr.toFile());
            // the training project's keys stay in the training folder, not among the user's
            pb.environment().put("XDG_CONFIG_HOME", training.resolve("config").toString());
            p = pb.start();
            try (OutputStream in = p.getOutputStream();
                 BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"safemigrate-init\",\"version\":\"1\"}}}");
                awaitId(out, 1);
                send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}");
                awaitId(out, 2);
                // a call stops the warm-up: it runs to its end first
                awaitWarmedUp(stderr, p, timeout);
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"status\",\"arguments\":{}}}");
                awaitId(out, 3);
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"create_migration\","
                        + "\"arguments\":{\"name\":\"training\",\"sql\":\"" + TRAINING_SQL + "\"}}}");
                awaitId(out, 4);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return "the training run did not end within " + timeout.toSeconds() + " s";
            }
            if (!Files.isRegularFile(partial)) {
                return "the JVM wrote no archive (exit " + p.exitValue() + ")";
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            deleteQuietly(training);
        }
    }

    /** A small migration, as JSON string content: a table, an index, a column, some rows. */
    private static final String TRAINING_SQL = "create table training (id bigint primary key, name text not null);\\n"
            + "create index training_name on training (name);\\nalter table training add column note text;\\n"
            + "insert into training (id, name) values (1, 'a');\\n";

    /** Until the server's stderr says its idle warm-up is done (or the server ended, or the time is up). */
    private static void awaitWarmedUp(Path stderr, Process p, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
            if (new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).contains(SafemigrateServer.WARMED_UP)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void awaitId(BufferedReader out, int id) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.contains("\"id\":" + id + ",") || line.contains("\"id\":" + id + "}")) {
                return;
            }
        }
        throw new IOException("the training run closed its output before answering request " + id);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind costs nothing
        }
    }
}
