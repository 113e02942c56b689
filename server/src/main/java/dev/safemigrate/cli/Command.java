package dev.safemigrate.cli;

import java.util.List;

/** One command a person runs from a terminal: {@code safemigrate <name> …}. */
public interface Command {

    String name();

    /** One line for the overview in {@code safemigrate --help}. */
    String summary();

    /** The full text of {@code safemigrate <name> --help}. */
    String usage();

    /** @return the process exit code: 0 done, 1 refused or failed, 2 misused */
    int run(List<String> args, CommandContext context) throws UsageException;
}
