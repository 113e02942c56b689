package dev.safemigrate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One project's folder outside the project, in the user's configuration directory
 * ({@code $XDG_CONFIG_HOME/safemigrate/projects/<name>-<hash>}, else {@code ~/.config/…}): the key
 * confirmation tokens are signed with, the key the audit chain is sealed with, the chain's head, and
 * the settings a person approved ({@link TrustRecord}).
 *
 * <p>Why outside: the agent controls every file in the project folder, and a key it can read is a
 * key it can sign with. Here it would need to read a path the init-written Claude Code rules deny,
 * in a folder only the user can open (0700, files 0600). It is not a sandbox — an agent running
 * as the same OS user with an unrestricted shell can still read and write it — and docs/security.md says so.
 */
public final class KeyFolder {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public KeyFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * The user's configuration directory as the XDG base-directory spec defines it. Only these two
     * variables are read, and only to find this folder: the configuration itself never comes from
     * the environment.
     */
    public static Path userConfigHome(Function<String, String> environment) {
        String xdg = environment.apply("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = environment.apply("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
    }

    /**
     * The folder of the project at {@code projectRoot}: a readable name and a hash of the root's real
     * path, so two checkouts named {@code app} never share keys and a symlinked path finds the same.
     */
    public static Path forProject(Path userConfigHome, Path projectRoot) {
        Path real;
        try {
            real = projectRoot.toRealPath();
        } catch (IOException e) {
            real = projectRoot.toAbsolutePath().normalize();
        }
        String name = real.getFileName() == null ? "root" : real.getFileName().toString()
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        return userConfigHome.resolve("safemigrate").resolve("projects")
                .resolve(name + "-" + sha256(real.toString()).substring(0, 16));
    }

    /**
     * The folder of one start-up class archive ({@code $XDG_CONFIG_HOME/safemigrate/archives/<name>}):
     * what init recorded of the archive it made, checked before every server start. Beside the
     * projects' keys, not beside the archive: the cache folder is for what may be thrown away.
     */
    public static Path forArchive(Path userConfigHome, Path archive) {
        String name = archive.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return userConfigHome.resolve("safemigrate").resolve("archives").resolve(name);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The 32-byte key stored as {@code name}, created with fresh random bytes on first use. */
    public byte[] key(String name) {
        Path file = file(name);
        try {
            if (!Files.exists(file)) {
                createKey(file);
            }
            return HexFormat.of().parseHex(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the key " + file + " is not 64 hex digits: it was edited. Delete it to "
                    + "start over (tokens and audit entries sealed with it will no longer verify).", e);
        }
    }

    /** The key stored as {@code name}, without creating it: a verifier must not invent the key it checks with. */
    public Optional<byte[]> existingKey(String name) {
        return Files.exists(file(name)) ? Optional.of(key(name)) : Optional.empty();
    }

    /** Replaces {@code name} with {@code content} in one step: a reader sees the old or the new file, whole. */
    public void write(String name, String content) throws IOException {
        ensureDir();
        Path temp = Files.createTempFile(dir, "." + name + "-", ".tmp", ownerOnlyFile());
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Optional<String> read(String name) throws IOException {
        Path file = file(name);
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private void createKey(Path file) throws IOException {
        ensureDir();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp", ownerOnlyFile());
        try {
            Files.writeString(temp, HexFormat.of().formatHex(key));
            try {
                // a link fails if another process created the key first; then both use that one
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // keep the existing key
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void ensureDir() throws IOException {
        Path safemigrate = dir.getParent() == null ? null : dir.getParent().getParent();
        for (Path d : safemigrate == null ? new Path[] {dir} : new Path[] {safemigrate, dir.getParent(), dir}) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
                ownerOnly(d);
            }
        }
        // tightened on every use, not only on creation: a folder someone opened up is closed again
        ownerOnly(dir);
    }

    private static void ownerOnly(Path d) throws IOException {
        try {
            Files.setPosixFilePermissions(d, OWNER_ONLY_DIR);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the user profile's own permissions have to do
        }
    }

    private FileAttribute<?>[] ownerOnlyFile() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
