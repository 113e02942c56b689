package dev.safemigrate.cli.init;

import java.nio.file.Path;
import java.util.List;

/**
 * What an agent must not read (the secrets) and must not write (what decides what safemigrate
 * allows), spelled as Claude Code reads a path in a settings file: {@code ./} the project,
 * {@code ~/} the user's home, {@code //} an absolute path.
 *
 * @param secrets the key folder (confirmation and audit keys, the audit chain's head, the
 *                archives' records) and the {@code .env} files a {@code ${dotenv:…}} password may be in
 * @param policy  safemigrate.toml and .safemigrate/ (the policy, the audit log, the embedded database),
 *                the key folder, the start-up archive cache (its code runs as the server), .mcp.json
 *                (how the server starts) and Claude Code's project settings (these very rules)
 */
record ProtectedPaths(List<Spot> secrets, List<Spot> policy) {

    /** One path; a folder stands for everything under it. */
    record Spot(String path, boolean folder) {

        /** As a Read(…) or Edit(…) rule's content: a folder with {@code /**}. */
        String rule() {
            return folder ? path + "/**" : path;
        }
    }

    /**
     * @param userConfigHome where KeyFolder keeps safemigrate/ (normally ~/.config)
     * @param archiveFolder  where StartupArchive keeps the archives (normally ~/.cache/safemigrate)
     */
    static ProtectedPaths of(Path userConfigHome, Path archiveFolder, Path userHome) {
        Spot keys = new Spot(spelled(userConfigHome.resolve("safemigrate"), userHome), true);
        Spot archives = new Spot(spelled(archiveFolder, userHome), true);
        return new ProtectedPaths(
                List.of(keys, file("./.env"), file("./.env.*"), file("**/.env"), file("**/.env.*")),
                List.of(file("./safemigrate.toml"), new Spot("./.safemigrate", true), keys, archives, file("./.mcp.json"),
                        // literally: Linux's sandbox skips a glob such as settings*.json in a write deny
                        file("./.claude/settings.json"), file("./.claude/settings.local.json")));
    }

    private static Spot file(String path) {
        return new Spot(path, false);
    }

    /** {@code ~/…} inside the home, else {@code //…}: a single "/" is relative to the project in a rule. */
    static String spelled(Path dir, Path userHome) {
        Path d = dir.toAbsolutePath().normalize();
        Path home = userHome.toAbsolutePath().normalize();
        return d.startsWith(home) && !d.equals(home) ? "~/" + home.relativize(d).toString().replace('\\', '/')
                : "/" + d.toString().replace('\\', '/');
    }
}
