package dev.safemigrate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The files of a folder that changed since a git ref, as {@code git} itself reports them: those
 * that differ from the ref (committed or not) and those git does not track yet — a new migration
 * not yet added is exactly what a check before committing must see.
 */
final class GitChanges {

    private GitChanges() {}

    /** @return paths relative to {@code dir}, with '/' */
    static Set<String> since(String ref, Path dir) throws UsageException {
        if (ref.isEmpty() || ref.startsWith("-")) {
            // git would read it as an option (--output=… writes a file)
            throw new UsageException("--since needs a git ref such as origin/main or HEAD~1, not '" + ref + "'");
        }
        Set<String> out = new LinkedHashSet<>();
        out.addAll(git(dir, "diff", "--name-only", "--relative", "--no-renames", "--diff-filter=d", ref, "--", "."));
        out.addAll(git(dir, "ls-files", "--others", "--exclude-standard", "--", "."));
        return out;
    }

    private static List<String> git(Path dir, String... args) throws UsageException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotePath=false", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UsageException("git " + args[0] + " did not finish within 60 s in " + dir);
            }
            if (p.exitValue() != 0) {
                throw new UsageException("git " + String.join(" ", args) + " failed in " + dir + ": "
                        + err.join().strip());
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UsageException("--since needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while running git");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
