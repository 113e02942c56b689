package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * block: the database-level setting safemigrate.environment is the marker that proves which
 * database this is; a migration that sets or resets it could make production look like dev.
 */
public final class SafemigrateSettingRule implements Rule {

    public List<String> ids() {
        return List.of("safemigrate-setting");
    }

    public List<Finding> check(StatementContext s) {
        boolean databaseSetting = s.kind().equals("alter_database") && s.reading().actions().stream()
                .anyMatch(a -> a.startsWith("set:safemigrate.") || a.startsWith("reset:safemigrate.") || a.equals("reset:all"));
        boolean sessionSetting = (s.kind().equals("set") || s.kind().equals("reset"))
                && s.tokens().nameAt(s.tokens().isWord(1, "session") || s.tokens().isWord(1, "local") ? 2 : 1) != null
                && s.tokens().nameAt(s.tokens().isWord(1, "session") || s.tokens().isWord(1, "local") ? 2 : 1).name()
                        .startsWith("safemigrate.");
        if (!databaseSetting && !sessionSetting) {
            return List.of();
        }
        return List.of(s.finding("safemigrate-setting", Severity.BLOCK,
                "Changes safemigrate.* settings: safemigrate.environment is the marker that tells a development database "
                        + "from production, and only a person sets it.",
                "Leave the marker alone; a person marks a dev database once with: safemigrate mark-dev"));
    }
}
