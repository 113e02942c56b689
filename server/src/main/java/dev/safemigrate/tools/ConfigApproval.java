package dev.safemigrate.tools;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigException;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.SettingChange;
import dev.safemigrate.config.TrustRecord;
import dev.safemigrate.policy.ConfigTrust;

/**
 * Whether the configuration a project runs with is the one a person approved, and the refusal of
 * a write when it is not. apply_to_dev (dry run included: it executes the migrations' SQL on the
 * database the file names) and backup (it runs the program {@code backup.pg_dump} names, into the
 * folder {@code backup.dir} names) ask before anything else; status reports it. No tool writes the
 * approval: only a person at a terminal does, with {@code safemigrate trust}.
 */
public final class ConfigApproval {

    /** The longest value a refusal quotes of one setting: a list of hosts can be long. */
    private static final int VALUE = 160;

    private final Config config;
    /** The file read again now, as at start; null when it is not read again. */
    private final Supplier<Config> reread;

    /**
     * @param reread reads the configuration file again, with the environment it was first read with; null
     *               when the configuration was just read (a command) and only the approval is to be checked
     */
    public ConfigApproval(Config config, Supplier<Config> reread) {
        this.config = config;
        this.reread = reread;
    }

    public ConfigTrust check() {
        TrustRecord approval;
        try {
            approval = TrustRecord.read(config).orElse(null);
        } catch (ConfigException e) {
            // fail closed: a record no one can read approves nothing
            return new ConfigTrust.NeverTrusted(config.policySettings().changesFrom(ConfigLoader.builtInSettings()),
                    e.getMessage() + "; approve the settings again");
        }
        return ConfigTrust.judge(config.policySettings(), onDisk(), ConfigLoader.builtInSettings(), approval);
    }

    private ConfigTrust.OnDisk onDisk() {
        if (reread == null || config.source() == null) {
            return ConfigTrust.asLoaded();
        }
        try {
            return new ConfigTrust.OnDisk.Read(reread.get().policySettings());
        } catch (ConfigException e) {
            return new ConfigTrust.OnDisk.Unreadable(e.getMessage());
        } catch (RuntimeException e) {
            return new ConfigTrust.OnDisk.Unreadable(String.valueOf(e.getMessage()));
        }
    }

    /** Refuses the write, naming every changed setting, unless a person approved these settings. */
    void requireForWrite(String tool) throws ToolException {
        ConfigTrust trust = check();
        if (!trust.allowsWrites()) {
            throw new ToolException(ToolError.CONFIG_NOT_TRUSTED, message(trust, tool), hint(trust));
        }
    }

    private String message(ConfigTrust trust, String tool) {
        String file = config.source() == null ? "the embedded default (no " + ConfigLoader.FILE_NAME + ")"
                : config.source().toString();
        StringBuilder sb = new StringBuilder("refusing to run ").append(tool).append(": ");
        List<SettingChange> changes = trust.changes();
        if (trust instanceof ConfigTrust.Changed changed) {
            sb.append(file).append(" differs from the settings ").append(changed.approval().approvedBy())
                    .append(" approved at ").append(changed.approval().approvedAt()).append(changes.isEmpty() ? "" : " in ");
        } else {
            sb.append("no person has approved the settings of ").append(file).append(" yet")
                    .append(changes.isEmpty() ? "" : "; they differ from safemigrate's built-in defaults in ");
        }
        sb.append(changes.stream().map(c -> c.describe(VALUE)).collect(Collectors.joining("; ")));
        if (trust.note() != null) {
            sb.append(" (").append(trust.note()).append(')');
        }
        return sb.append(". Nothing was run.").toString();
    }

    private String hint(ConfigTrust trust) {
        if (trust instanceof ConfigTrust.Changed c && c.restart()) {
            return "Show this to your user: a person approved the file as it is now; restart the MCP server (your MCP "
                    + "client) so that it runs with those settings. Do not edit safemigrate.toml or the approval.";
        }
        return "Show this to your user: a person must review these settings and approve them at a terminal with `"
                + command() + "`. Do not edit safemigrate.toml or the approval to get around it; status, show_sql and "
                + "create_migration still work.";
    }

    /** What a person runs at a terminal to approve this configuration. */
    public String command() {
        return config.source() == null ? "safemigrate trust (in " + config.projectRoot() + ")"
                : "safemigrate trust --config " + config.source();
    }
}
