package dev.safemigrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigException;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.mcp.SafemigrateServer;
import dev.safemigrate.mcp.StdioGuard;
import dev.safemigrate.tools.Project;

/** The command line: {@code safemigrate [serve] [--config PATH]}. */
public final class Main {

    static final String USAGE = """
            usage: java -jar safemigrate.jar [COMMAND] [--config PATH]

            commands:
              serve     (default) MCP server over stdio: the five tools for an AI agent

            options:
              --config PATH   safemigrate.toml to use (default: ./safemigrate.toml; without one,
                              an embedded PostgreSQL under ./.safemigrate/ is the dev database)
              --help          this text
            """;

    private Main() {}

    public static void main(String[] args) {
        // stdout is the protocol channel: keep a handle for the transport, send every stray print to stderr
        PrintStream protocolOut = System.out;
        System.setOut(System.err);
        System.exit(run(args, System.in, protocolOut));
    }

    static int run(String[] args, InputStream in, PrintStream out) {
        String command = "serve";
        Path configPath = null;
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                System.err.print(USAGE);
                return 0;
            } else if (a.equals("--config")) {
                if (i + 1 >= rest.size()) {
                    System.err.println("safemigrate: --config needs a path\n\n" + USAGE);
                    return 2;
                }
                configPath = Path.of(rest.get(++i));
            } else if (a.startsWith("--config=")) {
                configPath = Path.of(a.substring("--config=".length()));
            } else if (i == 0 && !a.startsWith("-")) {
                command = a;
            } else {
                System.err.println("safemigrate: unknown argument '" + a + "'\n\n" + USAGE);
                return 2;
            }
        }
        Config config;
        try {
            config = new ConfigLoader(System::getenv).load(configPath, Path.of("").toAbsolutePath());
        } catch (ConfigException e) {
            System.err.println("safemigrate: configuration error: " + e.getMessage());
            return 2;
        }
        if (command.equals("serve")) {
            return serve(config, in, out);
        }
        System.err.println("safemigrate: unknown command '" + command + "'\n\n" + USAGE);
        return 2;
    }

    private static int serve(Config config, InputStream in, PrintStream out) {
        Project project = Project.open(config);
        Runtime.getRuntime().addShutdownHook(new Thread(project::close, "safemigrate-shutdown"));
        CountDownLatch stdinClosed = new CountDownLatch(1);
        StdioGuard stdio;
        try {
            stdio = StdioGuard.start(in, out, stdinClosed::countDown);
        } catch (IOException e) {
            System.err.println("safemigrate: cannot set up stdio: " + e.getMessage());
            return 1;
        }
        var transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(), stdio.in(), stdio.out());
        McpSyncServer server = SafemigrateServer.start(transport, project);
        System.err.println("safemigrate " + SafemigrateServer.VERSION + " serving over stdio; "
                + (config.isEmbeddedDefault() ? "no safemigrate.toml: embedded PostgreSQL under " + config.projectRoot()
                .resolve(Config.STATE_DIR) : "config " + config.source()));
        try {
            stdinClosed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.closeGracefully();
        project.close();
        return 0;
    }
}
