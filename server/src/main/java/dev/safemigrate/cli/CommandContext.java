package dev.safemigrate.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;

/**
 * What a command may use of the world, passed in so that tests can script all of it.
 *
 * @param configPath  the {@code --config} path, or null for ./safemigrate.toml
 * @param environment for explicit {@code ${env:NAME}} references in the configuration only
 * @param out         the command's report; never the MCP protocol channel (that is only {@code serve})
 */
public record CommandContext(Path workingDir, Path configPath, Function<String, String> environment, PrintStream out,
                             PrintStream err, Terminal terminal, Clock clock) {

    /** @throws dev.safemigrate.config.ConfigException when the configuration cannot be used */
    public Config config() {
        return new ConfigLoader(environment).load(configPath, workingDir);
    }
}
