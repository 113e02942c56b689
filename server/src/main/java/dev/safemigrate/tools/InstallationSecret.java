package dev.safemigrate.tools;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.safemigrate.config.KeyFolder;

/**
 * The key confirmation tokens are signed with. It lives in the project's {@link KeyFolder}, outside
 * the project: an agent sees tokens but never this key, so it cannot mint its own.
 *
 * <p>Earlier versions kept it in {@code .safemigrate/secret}, inside the project, where the agent
 * could read it and sign a token for a {@code DROP TABLE} itself. That file is never read again
 * (tokens signed with it stop working), and its presence is reported so a person deletes it.
 */
final class InstallationSecret {

    static final String KEY = "confirmation.key";
    /** Where the key was kept inside the project folder, relative to the project root. */
    static final String LEGACY_FILE = ".safemigrate/secret";

    private InstallationSecret() {}

    static byte[] load(KeyFolder keys, Path projectRoot, PrintStream err) {
        Path legacy = projectRoot.resolve(LEGACY_FILE);
        if (Files.exists(legacy)) {
            err.println("safemigrate: ignoring " + legacy + ": the confirmation key now lives outside the project, in "
                    + keys.dir() + ", where the agent cannot read it. Tokens signed with the old key are refused. "
                    + "Delete the old file.");
        }
        return keys.key(KEY);
    }
}
