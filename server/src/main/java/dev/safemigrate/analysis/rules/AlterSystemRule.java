package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: ALTER SYSTEM rewrites postgresql.auto.conf for the whole server. */
public final class AlterSystemRule implements Rule {

    public List<String> ids() {
        return List.of("alter-system");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("alter_system")) {
            return List.of();
        }
        return List.of(s.finding("alter-system", Severity.BLOCK,
                "ALTER SYSTEM changes the server's configuration for every database on it.",
                "Set what the application needs per database or per role in a reviewed change by an administrator, "
                        + "or per transaction: SET LOCAL statement_timeout = '5min';"));
    }
}
