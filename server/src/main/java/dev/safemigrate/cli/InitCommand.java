package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.safemigrate.cli.init.PlannedFile;
import dev.safemigrate.cli.init.ProjectSetup;
import dev.safemigrate.cli.init.SetupException;

/**
 * {@code safemigrate init}: sets a project up for agents in one step. Safe to run again: it adds
 * only what is missing and never rewrites what a person wrote.
 */
public final class InitCommand implements Command {

    @Override
    public String name() {
        return "init";
    }

    @Override
    public String summary() {
        return "set up this project: safemigrate.toml, .mcp.json, CLAUDE.md, Claude Code permissions";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate init [--jar PATH]

                Sets up the current folder:
                  safemigrate.toml       a commented configuration pointing at the migrations folder it finds
                                         (Flyway's db/migration, src/main/resources/db/migration, migrations, …,
                                         or Prisma's prisma/migrations); an existing one is left alone
                  .gitignore             ignores .safemigrate/ (embedded database, backups, audit log)
                  .mcp.json              the safemigrate MCP server, beside any servers already there
                  CLAUDE.md              a section telling agents how to change the schema (added once)
                  .claude/settings.json  Claude Code rules denying psql, prisma db push / migrate, flyway clean /
                                         migrate / repair, pg_restore, dropdb, … (existing rules stay)

                Running it again changes nothing. A file it cannot read (invalid JSON) stops it before anything
                is written.

                options:
                  --jar PATH   the safemigrate jar .mcp.json should run (default: the jar running this command)
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of(), Set.of("--jar"));
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        Optional<Path> jar = a.option("--jar") != null ? Optional.of(ctx.workingDir().resolve(a.option("--jar")))
                : RunningJar.locate();
        if (jar.isEmpty()) {
            ctx.err().println("safemigrate init: not running from a jar, so .mcp.json cannot name one; pass --jar "
                    + "/path/to/safemigrate.jar.");
            return 1;
        }
        if (!Files.isRegularFile(jar.get())) {
            ctx.err().println("safemigrate init: --jar " + jar.get() + ": no such file.");
            return 1;
        }
        try {
            List<PlannedFile> plan = ProjectSetup.plan(ctx.workingDir(), jar.get());
            for (PlannedFile f : plan) {
                if (f.changes()) {
                    ProjectSetup.write(f);
                }
                ctx.out().println(pad(ctx.workingDir().relativize(f.path()).toString()) + f.change());
            }
            ctx.out().println(plan.stream().anyMatch(PlannedFile::changes)
                    ? "Next: restart your MCP client (Claude Code) in this folder, and ask it to call status."
                    : "Nothing to do: this project is set up.");
            return 0;
        } catch (SetupException e) {
            ctx.err().println("safemigrate init: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            ctx.err().println("safemigrate init: " + e);
            return 1;
        }
    }

    private static String pad(String s) {
        return s.length() >= 24 ? s + " " : s + " ".repeat(24 - s.length());
    }
}
