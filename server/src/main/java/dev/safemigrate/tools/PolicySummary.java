package dev.safemigrate.tools;

import java.util.List;
import java.util.Locale;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.DurationSetting;

/** The active policy as status reports it: what the agent may and may not expect. */
public record PolicySummary(List<String> allowHosts, List<String> denyPatterns, String expectDatabase, String destructive,
                            String backupBeforeApply, String lockTimeout, String statementTimeout,
                            boolean allowPrivilegedRole, String configFile) {

    static PolicySummary of(Config config) {
        Config.Policy p = config.policy();
        return new PolicySummary(p.allowHosts(), p.denyPatterns(), config.dev().expectDatabase(),
                p.destructive().name().toLowerCase(Locale.ROOT), p.backupBeforeApply().name().toLowerCase(Locale.ROOT),
                DurationSetting.toPostgres(p.lockTimeout()), DurationSetting.toPostgres(p.statementTimeout()),
                p.allowPrivilegedRole(), config.source() == null ? null : config.source().toString());
    }
}
