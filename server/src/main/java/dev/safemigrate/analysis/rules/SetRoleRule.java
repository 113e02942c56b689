package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

import dev.safemigrate.analysis.StatementTokens;

/** block: switching the session's identity escapes the privileges the migration was given. */
public final class SetRoleRule implements Rule {

    public List<String> ids() {
        return List.of("set-role");
    }

    public List<Finding> check(StatementContext s) {
        StatementTokens t = s.tokens();
        int i = t.isWord(1, "local") || (t.isWord(1, "session") && !t.isWord(2, "authorization")) ? 2 : 1;
        boolean statement = (s.kind().equals("set") || s.kind().equals("reset"))
                && (t.isWord(i, "role") || t.wordsAt(i, "session", "authorization"));
        boolean call = s.calls().contains("set_config") && setConfigOfRole(t);
        if (!statement && !call) {
            return List.of();
        }
        return List.of(s.finding("set-role", Severity.BLOCK,
                "SET ROLE / SET SESSION AUTHORIZATION switches the identity the migration runs as.",
                "Run the migration as the role that should own the objects; hand over ownership explicitly: "
                        + "ALTER TABLE app.orders OWNER TO app_owner;"));
    }

    private static boolean setConfigOfRole(StatementTokens t) {
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.isWord(i, "set_config") && t.get(i + 2).isString()
                    && Set.of("role", "session_authorization").contains(t.get(i + 2).text().toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
