package dev.safemigrate.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * The backup folder: dumps named {@code <UTC timestamp>[-label].dump}, each with its manifest,
 * written under a temporary name and renamed only once complete, the newest {@code keep} kept.
 */
public final class BackupStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final int keep;

    public BackupStore(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public Path newTempFile() throws IOException {
        Files.createDirectories(dir);
        return Files.createTempFile(dir, ".partial-", ".dump");
    }

    /**
     * Puts a finished dump and its manifest in place; the manifest goes last, so it only names
     * complete dumps. A link, unlike a rename, fails rather than replace an existing backup.
     */
    public Path commit(Path temp, String fileName, BackupManifest manifest) throws IOException {
        Path target = dir.resolve(fileName);
        Files.createLink(target, temp);
        Files.delete(temp);
        Path manifestTemp = Files.createTempFile(dir, ".partial-", ".json");
        Files.writeString(manifestTemp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        Files.move(manifestTemp, dir.resolve(fileName + ".json"), StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** @return the dumps removed to keep the newest {@code keep} */
    public List<String> applyRetention() throws IOException {
        List<Path> dumps = dumps();
        List<String> removed = new ArrayList<>();
        for (Path old : Retention.toRemove(dumps, keep)) {
            Files.deleteIfExists(old);
            Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".json"));
            removed.add(old.getFileName().toString());
        }
        return removed;
    }

    public Optional<BackupManifest> newest() throws IOException {
        List<Path> dumps = dumps();
        for (int i = dumps.size() - 1; i >= 0; i--) {
            Path manifest = dumps.get(i).resolveSibling(dumps.get(i).getFileName() + ".json");
            if (Files.isRegularFile(manifest)) {
                return Optional.of(JSON.readValue(manifest.toFile(), BackupManifest.class));
            }
        }
        return Optional.empty();
    }

    /**
     * The manifest of the complete dump named {@code file}, as its manifest names it: looked up among
     * the folder's dumps, so a name can never reach outside the folder.
     */
    public Optional<BackupManifest> manifest(String file) throws IOException {
        for (Path dump : dumps()) {
            Path manifest = ManifestFile.beside(dump);
            if (dump.getFileName().toString().equals(file) && Files.isRegularFile(manifest)) {
                return Optional.of(JSON.readValue(manifest.toFile(), BackupManifest.class));
            }
        }
        return Optional.empty();
    }

    /** Completed dumps, oldest first (names start with a sortable UTC timestamp). */
    List<Path> dumps() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dump"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
