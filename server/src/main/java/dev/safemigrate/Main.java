package dev.safemigrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.modelcontextprotocol.server.McpSyncServer;

import dev.safemigrate.cli.Command;
import dev.safemigrate.cli.CommandContext;
import dev.safemigrate.cli.Commands;
import dev.safemigrate.cli.Terminal;
import dev.safemigrate.cli.UsageException;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigException;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.mcp.SafemigrateServer;
import dev.safemigrate.tools.Project;

/** The command line: {@code safemigrate [COMMAND] [--config PATH] [options]}; picks the command. */
public final class Main {

    static final String USAGE = """
            usage: java -jar safemigrate.jar [COMMAND] [--config PATH]

            commands:
              serve     (default) MCP server over stdio: the five tools for an AI agent
              status    which database this is, proven; migrations, validation, schemas, last backup, policy
              log       the audit log of every tool call; --verify checks its hash chain
              check     analyse the migration files for CI (all, or --since a git ref); exit 1 on findings
              init      set up this project: safemigrate.toml, .mcp.json, CLAUDE.md, Claude Code permissions
              mark-dev  mark the configured database as the development database (a person, at a terminal)
              trust     approve the settings safemigrate's writes are held to (a person, at a terminal)
              restore   restore a backup into the development database (a person, at a terminal)
              baseline  adopt an existing database: record which migrations it already has (a person, at a terminal)

            `safemigrate COMMAND --help` explains one command.

            options:
              --config PATH   safemigrate.toml to use (default: ./safemigrate.toml; without one,
                              an embedded PostgreSQL under ./.safemigrate/ is the dev database)
              --help          this text
            """;

    private Main() {}

    public static void main(String[] args) {
        // stdout is the protocol channel: keep a handle for the transport, send every stray print to stderr
        PrintStream protocolOut = System.out; // stdout-ok: handed to the transport (serve) or a command's report
        System.setOut(System.err);
        System.exit(run(args, System.in, protocolOut));
    }

    static int run(String[] args, InputStream in, PrintStream out) {
        return run(args, in, out, System.err, Terminal.system(), Path.of("").toAbsolutePath());
    }

    /** @param out the MCP protocol channel for serve; a command's report otherwise */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Terminal terminal, Path workingDir) {
        String command = "serve";
        Path configPath = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config")) {
                if (i + 1 >= args.length) {
                    err.println("safemigrate: --config needs a path\n\n" + USAGE);
                    return 2;
                }
                configPath = Path.of(args[++i]);
            } else if (a.startsWith("--config=")) {
                configPath = Path.of(a.substring("--config=".length()));
            } else if (i == 0 && !a.startsWith("-")) {
                command = a;
            } else {
                rest.add(a);
            }
        }
        boolean help = rest.contains("--help") || rest.contains("-h");
        try {
            if (command.equals("serve")) {
                if (help) {
                    err.print(USAGE);
                    return 0;
                }
                if (!rest.isEmpty()) {
                    err.println("safemigrate: unknown argument '" + rest.get(0) + "'\n\n" + USAGE);
                    return 2;
                }
                ConfigLoader loader = new ConfigLoader(System::getenv);
                return serve(loader.load(configPath, workingDir), loader, in, out);
            }
            Optional<Command> cmd = Commands.named(command);
            if (cmd.isEmpty()) {
                err.println("safemigrate: unknown command '" + command + "'\n\n" + USAGE);
                return 2;
            }
            if (help) {
                out.print(cmd.get().usage());
                return 0;
            }
            try {
                return cmd.get().run(rest, new CommandContext(workingDir, configPath, System::getenv, out, err, terminal,
                        Clock.systemUTC()));
            } catch (UsageException e) {
                err.println("safemigrate " + command + ": " + e.getMessage() + "\n\n" + cmd.get().usage());
                return 2;
            }
        } catch (ConfigException e) {
            err.println("safemigrate: configuration error: " + e.getMessage());
            return 2;
        }
    }

    /** How long closing may take once the client is gone, so the process ends within 2 s of stdin closing. */
    static final Duration CLOSE_WITHIN = Duration.ofMillis(1500);

    private static int serve(Config config, ConfigLoader loader, InputStream in, PrintStream out) {
        // every secret the configuration resolved is cut out of whatever this process logs: stack traces,
        // the SDK's, Flyway's and the drivers' own messages
        PrintStream redactedErr = config.redactor().lines(System.err);
        System.setErr(redactedErr);
        System.setOut(redactedErr);
        // the file is read again before each write: an edit since the start is refused at once, not at the next start
        Project project = Project.open(config, loader);
        Runtime.getRuntime().addShutdownHook(new Thread(project::close, "safemigrate-shutdown"));
        CountDownLatch stdinClosed = new CountDownLatch(1);
        McpSyncServer server;
        try {
            server = SafemigrateServer.serveStdio(in, out, project, stdinClosed::countDown);
        } catch (IOException e) {
            System.err.println("safemigrate: cannot set up stdio: " + e.getMessage());
            return 1;
        }
        System.err.println("safemigrate " + SafemigrateServer.VERSION + " serving over stdio; "
                + (config.isEmbeddedDefault() ? "no safemigrate.toml: embedded PostgreSQL under " + config.projectRoot()
                .resolve(Config.STATE_DIR) : "config " + config.source()));
        try {
            stdinClosed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the client is gone: nobody will read an answer, so a call still running is not waited for. The
        // embedded PostgreSQL is stopped (fast mode: open transactions roll back), then the process exits,
        // rather than lingering as an orphan JVM per session
        Thread closing = new Thread(() -> {
            server.close();
            project.close();
        }, "safemigrate-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CLOSE_WITHIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            System.err.println("safemigrate: closing took over " + CLOSE_WITHIN.toMillis() + " ms; exiting anyway");
        }
        return 0;
    }
}
