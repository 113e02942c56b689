package dev.safemigrate.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.PolicySettings;
import dev.safemigrate.config.SettingChange;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.policy.ConfigTrust;
import dev.safemigrate.tools.ConfigApproval;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ProvenConnection;
import dev.safemigrate.tools.ToolException;

/**
 * {@code safemigrate trust}: a person approves the settings the server's writes are held to. The
 * agent can write safemigrate.toml like any file in the project; what it cannot do is answer this
 * question at the person's terminal, so a setting it loosened (a host allowed, a deny pattern
 * removed, {@code [dev] url} pointed elsewhere) stays without effect until a person has seen it.
 */
public final class TrustCommand implements Command {

    @Override
    public String name() {
        return "trust";
    }

    @Override
    public String summary() {
        return "approve the settings safemigrate's writes are held to (a person, at a terminal)";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate trust [--config PATH]

                Shows the database safemigrate.toml reaches (when it answers) and every setting that decides what the
                server may do to which database: the [dev] target (URL as written, hosts, port, database, user,
                expect_database, the password's ${env:…} or ${dotenv:…} reference, never its value), [policy],
                [migrations] dir, [backup] and [audit]; and, when you approved settings before, exactly what changed
                since. On yes it records your approval outside the project, in the project's key folder
                (~/.config/safemigrate/projects/<name>-<hash>/approved-safemigrate.toml.json, mode 0600): the
                settings, their digest, the time and your user name.

                apply_to_dev (its dry run too) and backup refuse with CONFIG_NOT_TRUSTED while the settings differ
                from the approved ones; status, show_sql and create_migration keep working. Without a
                safemigrate.toml the built-in defaults need no approval, unless settings were approved before:
                then a deleted file is a change like any other. init and mark-dev ask the same at a terminal.

                Refuses when stdin is not a terminal (an agent cannot run it) and then records nothing.
                Exit status: 0 when the settings are approved (now or before) or need no approval, 1 otherwise.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of(), Set.of());
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        if (!ctx.terminal().interactive()) {
            ctx.err().println("safemigrate trust: refusing: stdin is not a terminal. Approving the settings safemigrate's "
                    + "writes are held to is a person's decision: run it in a terminal and answer its question; it cannot "
                    + "be scripted or run by an agent. Nothing was recorded.");
            return 1;
        }
        return ask(ctx.config(), ctx);
    }

    /**
     * The trust step, also run by init and mark-dev at a terminal: nothing is asked when the
     * settings are approved already or are the built-in defaults.
     *
     * @return 0 when the settings are approved (now or before) or need no approval, 1 when the person said no
     */
    static int ask(Config config, CommandContext ctx) {
        ConfigApproval approval = new ConfigApproval(config, null);
        ConfigTrust trust = approval.check();
        if (trust instanceof ConfigTrust.Trusted t) {
            ctx.out().println("Settings     approved by " + PolicySettings.printable(t.approval().approvedBy()) + " at "
                    + t.approval().approvedAt() + ", unchanged since.");
            return 0;
        }
        if (trust instanceof ConfigTrust.NotNeeded) {
            ctx.out().println("Settings     safemigrate's built-in defaults: nothing to approve (a change to them will "
                    + "wait for `safemigrate trust`).");
            return 0;
        }
        DatabaseIdentity identity = identity(config, ctx);
        ctx.out().print(describe(config, trust));
        String answer = ctx.terminal().readLine("Approve these settings for safemigrate's writes (apply_to_dev, backup)? [y/N] ");
        if (answer == null || !Set.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
            ctx.out().println("Nothing recorded: apply_to_dev and backup keep refusing until these settings are approved.");
            return 1;
        }
        TrustRecord record = TrustRecord.of(config, System.getProperty("user.name"), ctx.clock().instant());
        try {
            record.write(config);
        } catch (IOException e) {
            ctx.err().println("safemigrate trust: cannot record the approval in " + TrustRecord.file(config) + ": " + e);
            return 1;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("digest", record.settings().digest());
        summary.put("changed", trust.changedSettings());
        summary.put("approved_by", record.approvedBy());
        new CommandAudit(config, ctx, "trust", Map.of()).changed(identity, summary);
        ctx.out().println("Approved: recorded in " + TrustRecord.file(config) + ". A running MCP server uses these "
                + "settings once restarted.");
        return 0;
    }

    /** The proven identity when the database answers; the embedded one is described, not started. */
    private static DatabaseIdentity identity(Config config, CommandContext ctx) {
        if (config.dev().embedded()) {
            ctx.out().println("Database     the embedded PostgreSQL under "
                    + config.projectRoot().resolve(Config.STATE_DIR).resolve("pgdata") + ", which the server starts");
            return null;
        }
        try (Project project = Project.open(config); ProvenConnection db = ProvenConnection.open(project)) {
            ctx.out().print(IdentityText.of(db.identity()));
            return db.identity();
        } catch (ToolException e) {
            ctx.out().println("Database     not reachable now: " + PolicySettings.printable(e.error().message()));
            return null;
        }
    }

    static String describe(Config config, ConfigTrust trust) {
        StringBuilder sb = new StringBuilder("\nSettings     ")
                .append(config.source() == null ? "the built-in defaults (no safemigrate.toml)" : config.source())
                .append(": what safemigrate's writes are held to\n");
        config.policySettings().values().forEach((k, v) -> sb.append("  ").append(k)
                .append(" ".repeat(Math.max(1, 30 - k.length()))).append(PolicySettings.printable(v)).append('\n'));
        if (trust instanceof ConfigTrust.Changed c) {
            sb.append("\nChanged since ").append(PolicySettings.printable(c.approval().approvedBy())).append(" approved them at ")
                    .append(c.approval().approvedAt()).append(":\n");
        } else {
            sb.append("\nNever approved").append(trust.changes().isEmpty() ? ".\n"
                    : "; these differ from the built-in defaults:\n");
        }
        for (SettingChange c : trust.changes()) {
            sb.append("  ").append(c.describe(Integer.MAX_VALUE)).append('\n');
        }
        if (trust.note() != null) {
            sb.append("Note: ").append(PolicySettings.printable(trust.note())).append('\n');
        }
        return sb.append('\n').toString();
    }
}
