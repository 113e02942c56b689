package dev.safemigrate.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The manifest beside a dump, {@code <dump>.json}, as {@link BackupStore#commit} wrote it. */
public final class ManifestFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManifestFile() {}

    public static Path beside(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".json");
    }

    public static BackupManifest read(Path dump) throws BackupException {
        Path file = beside(dump);
        if (!Files.isRegularFile(file)) {
            throw new BackupException("the backup " + dump + " has no manifest " + file.getFileName(),
                    "Without its manifest a restore cannot be checked table by table. Use a backup taken by safemigrate "
                            + "(its .dump and .dump.json side by side).");
        }
        try {
            return JSON.readValue(file.toFile(), BackupManifest.class);
        } catch (JacksonException e) {
            throw new BackupException("the manifest " + file + " is not readable: " + e.getOriginalMessage(),
                    "Restore from another backup, or restore this one by hand and check the data yourself.");
        } catch (RuntimeException e) {
            throw new BackupException("cannot read the manifest " + file + ": " + e.getMessage(), "Check the file's permissions.");
        }
    }

    /** @return whether the dump is still the file the manifest describes */
    public static boolean matches(Path dump, BackupManifest manifest) throws IOException {
        return Files.size(dump) == manifest.bytes() && BackupStore.sha256(dump).equals(manifest.sha256());
    }
}
