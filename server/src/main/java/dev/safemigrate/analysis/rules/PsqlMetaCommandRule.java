package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: backslash commands belong to psql; the server (and Flyway) cannot run them. */
public final class PsqlMetaCommandRule implements Rule {

    public List<String> ids() {
        return List.of("psql-meta-command");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.metaCommand()) {
            return List.of();
        }
        return List.of(s.finding("psql-meta-command", Severity.BLOCK,
                "psql meta-command " + s.text().split("\\s+")[0] + " is not SQL; \\connect and \\! could reach "
                        + "another database or the shell.",
                "Write plain SQL only; replace \\copy with COPY … FROM STDIN or INSERT … VALUES."));
    }
}
