package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.safemigrate.cli.init.ArchiveLauncher;
import dev.safemigrate.cli.init.PlannedFile;
import dev.safemigrate.cli.init.PrismaImport;
import dev.safemigrate.cli.init.ProjectSetup;
import dev.safemigrate.cli.init.SetupException;
import dev.safemigrate.cli.init.StartupArchive;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigException;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.tools.ConfigApproval;
import dev.safemigrate.config.KeyFolder;

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
                usage: safemigrate init [--jar PATH] [--import-prisma]

                Sets up the current folder:
                  safemigrate.toml       a commented configuration pointing at the migrations folder it finds
                                         (Flyway's db/migration, src/main/resources/db/migration, migrations, …,
                                         or Prisma's prisma/migrations); an existing one is left alone
                  .gitignore             ignores .safemigrate/ (embedded database, backups, audit log)
                  .mcp.json              the safemigrate MCP server, beside any servers already there; it maps
                                         the start-up class archive (made in ~/.cache/safemigrate/) only when
                                         it is the file init made (fingerprint in ~/.config/safemigrate/)
                  CLAUDE.md              a section telling agents how to change the schema (added once)
                  .claude/settings.json  Claude Code rules denying psql, prisma db push / migrate, flyway clean /
                                         migrate / repair, pg_restore, dropdb, …, reading the keys and .env
                                         files, editing safemigrate.toml, .safemigrate/, the keys, the archive,
                                         .mcp.json and these settings; and Claude Code's sandbox for Bash,
                                         denying the same reads and writes (existing settings stay)

                At a terminal it then shows the settings safemigrate's writes are held to and asks you to approve
                them, as `safemigrate trust` does (built-in defaults need no approval).

                Running it again changes nothing. A file it cannot read (invalid JSON) stops it before anything
                is written.

                A Prisma project (prisma/migrations/<timestamp>_<name>/migration.sql): a new safemigrate.toml sets
                layout = "prisma". Prisma keeps its folder and its history: safemigrate writes Prisma's migration
                folders and records what it applies in _prisma_migrations as `prisma migrate deploy` does, so the
                production pipeline stays as it is and a database Prisma migrated needs no baseline.
                To move the history to Flyway instead, --import-prisma copies Prisma's migrations, in order and byte
                for byte, as db/migrations/V<timestamp>__<name>.sql (or into the Flyway folder an existing
                safemigrate.toml names; at a terminal init offers it then), never overwriting a file; if Prisma
                already migrated the database, then run `safemigrate baseline --from-prisma` at a terminal.

                options:
                  --jar PATH        the safemigrate jar .mcp.json should run (default: the jar running this command)
                  --import-prisma   move to Flyway: import Prisma's migrations into a Flyway folder without asking
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of("--import-prisma"), Set.of("--jar"));
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
            boolean newConfig = !Files.exists(ctx.workingDir().resolve(ConfigLoader.FILE_NAME));
            PrismaImport.Plan imports = prismaImport(a.has("--import-prisma"), ctx);
            List<PlannedFile> plan = ProjectSetup.plan(ctx.workingDir(), jar.get(), imports != null && newConfig);
            if (imports != null) {
                Path target = importTarget(ctx);
                PrismaImport.write(imports, target);
                for (PrismaImport.Planned p : imports.copy()) {
                    ctx.out().println(pad(ctx.workingDir().relativize(target.resolve(p.fileName())).toString())
                            + "imported from prisma/migrations/" + p.prismaName() + "/migration.sql");
                }
                if (!imports.alreadyImported().isEmpty()) {
                    ctx.out().println(imports.alreadyImported().size() + " Prisma migration(s) were already imported.");
                }
            }
            for (PlannedFile f : plan) {
                if (f.changes()) {
                    ProjectSetup.write(f);
                }
                ctx.out().println(pad(ctx.workingDir().relativize(f.path()).toString()) + f.change());
            }
            startupArchive(jar.get(), ctx);
            trustStep(ctx);
            if (imports != null) {
                ctx.out().println("If Prisma already migrated the development database, record what it applied, at a "
                        + "terminal: safemigrate baseline --from-prisma");
            }
            ctx.out().println(plan.stream().anyMatch(PlannedFile::changes) || (imports != null && !imports.copy().isEmpty())
                    ? "Next: restart your MCP client (Claude Code) in this folder, and ask it to call status."
                    : "Nothing to do: this project is set up.");
            return 0;
        } catch (ConfigException e) {
            ctx.err().println("safemigrate init: " + e.getMessage());
            return 1;
        } catch (SetupException e) {
            ctx.err().println("safemigrate init: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            ctx.err().println("safemigrate init: " + e);
            return 1;
        }
    }

    /**
     * Plans the import of Prisma's migrations when the person wants it: with the flag, or by
     * answering yes at a terminal. Everything is checked before anything is written.
     *
     * @return null when nothing is to be imported
     */
    private static PrismaImport.Plan prismaImport(boolean flag, CommandContext ctx) throws SetupException, IOException {
        Path prisma = ProjectSetup.prismaMigrations(ctx.workingDir());
        if (!Files.isDirectory(prisma)) {
            if (flag) {
                throw new SetupException("--import-prisma: there is no prisma/migrations folder here.");
            }
            return null;
        }
        if (!flag && !Files.exists(ctx.workingDir().resolve(ConfigLoader.FILE_NAME))) {
            return null;   // the new configuration keeps Prisma's folder and history: layout = "prisma"
        }
        Path target = importTarget(ctx);
        if (target.normalize().equals(prisma.normalize())) {
            if (flag) {
                throw new SetupException("--import-prisma: safemigrate.toml's [migrations] dir is Prisma's own folder; "
                        + "set it to a folder of its own (e.g. \"db/migrations\"), then run this again.");
            }
            return null;
        }
        PrismaImport.Plan plan = PrismaImport.plan(prisma, target);
        if (plan.copy().isEmpty()) {
            return flag ? plan : null;
        }
        if (flag) {
            return plan;
        }
        String where = ctx.workingDir().relativize(target).toString();
        if (!ctx.terminal().interactive()) {
            ctx.out().println("Found " + plan.copy().size() + " Prisma migration(s) not imported; to import them into "
                    + where + ": safemigrate init --import-prisma");
            return null;
        }
        String answer = ctx.terminal().readLine("Import " + plan.copy().size() + " Prisma migration(s) from prisma/migrations "
                + "into " + where + " as V<timestamp>__<name>.sql (in order, byte for byte; nothing is overwritten)? [y/N] ");
        return answer != null && Set.of("y", "yes").contains(answer.strip().toLowerCase(java.util.Locale.ROOT)) ? plan : null;
    }

    /**
     * At a terminal, the question {@code safemigrate trust} asks; elsewhere, who must ask it. A
     * configuration that does not load yet (a reference to a variable not set here) is reported, and
     * init still succeeds: setting the project up does not need it.
     */
    private static void trustStep(CommandContext ctx) {
        Config config;
        try {
            config = ctx.config();
        } catch (ConfigException e) {
            ctx.out().println("Settings     not approved: the configuration does not load here (" + e.getMessage()
                    + "); fix it, then approve it at a terminal: safemigrate trust");
            return;
        }
        if (ctx.terminal().interactive()) {
            TrustCommand.ask(config, ctx);
            return;
        }
        ConfigApproval approval = new ConfigApproval(config, null);
        if (!approval.check().allowsWrites()) {
            ctx.out().println("Settings     not approved yet: apply_to_dev and backup refuse until a person approves "
                    + "them, at a terminal: " + approval.command());
        }
    }

    /**
     * Makes the start-up class archive .mcp.json points at and records its fingerprint, unless it is
     * current and still the file an init recorded; without it the server only starts slower.
     */
    private static void startupArchive(Path jar, CommandContext ctx) {
        Path archive = StartupArchive.forJar(jar);
        Path configHome = KeyFolder.userConfigHome(System::getenv);
        if (StartupArchive.current(jar, archive) && ArchiveLauncher.matchesRecord(configHome, archive)) {
            return;
        }
        String failed = StartupArchive.create(jar, archive, java.time.Duration.ofSeconds(120));
        if (failed == null) {
            try {
                ArchiveLauncher.recordFingerprint(configHome, archive);
            } catch (IOException e) {
                failed = "its fingerprint could not be recorded: " + e.getMessage();
            }
        }
        ctx.out().println(pad(archive.toString()) + (failed == null ? "start-up class archive made, its fingerprint "
                + "recorded in " + ArchiveLauncher.record(configHome, archive)
                : "no start-up class archive (" + failed + "); the server starts without it, only slower"));
    }

    /** The configured migrations folder, or the one a new safemigrate.toml will name. */
    private static Path importTarget(CommandContext ctx) {
        if (Files.exists(ctx.workingDir().resolve(ConfigLoader.FILE_NAME))) {
            return new ConfigLoader(ctx.environment()).load(null, ctx.workingDir()).migrations().dir();
        }
        return ctx.workingDir().resolve(ProjectSetup.PRISMA_IMPORT_DIR);
    }

    private static String pad(String s) {
        return s.length() >= 24 ? s + " " : s + " ".repeat(24 - s.length());
    }
}
