package dev.safemigrate.cli;

import java.util.List;
import java.util.Optional;

/** The commands for a person, besides {@code serve} (the MCP server, which Main runs itself). */
public final class Commands {

    private Commands() {}

    public static List<Command> all() {
        return List.of(new StatusCommand(), new LogCommand(), new CheckCommand(), new InitCommand(), new MarkDevCommand(),
                new TrustCommand(),
                new RestoreCommand(), new BaselineCommand());
    }

    public static Optional<Command> named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
