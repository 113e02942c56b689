package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

import dev.safemigrate.analysis.SqlToken;
import dev.safemigrate.analysis.StatementTokens;

/**
 * block: COPY … PROGRAM runs a shell command as the database server's OS user, and COPY to or
 * from a file name reads or writes files on the server. COPY … FROM STDIN / TO STDOUT stay in the
 * client connection and are fine.
 */
public final class ServerFileCopyRule implements Rule {

    public List<String> ids() {
        return List.of("copy-server-file");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("copy")) {
            return List.of();
        }
        StatementTokens t = s.tokens();
        boolean program = false;
        boolean file = false;
        for (int i = 1; i < t.size(); i++) {
            SqlToken tok = t.get(i);
            if (tok.depth() == 0 && (tok.isWord("from") || tok.isWord("to"))) {
                SqlToken next = t.get(i + 1);
                program |= next != null && next.isWord("program");
                file |= next != null && next.isString();
            }
        }
        if (!program && !file) {
            return List.of();
        }
        return List.of(s.finding("copy-server-file", Severity.BLOCK,
                program ? "COPY … PROGRAM runs a shell command on the database server."
                        : "COPY to or from a file name reads or writes a file on the database server.",
                "Load data through the client: COPY app.items FROM STDIN (FORMAT csv); or INSERT … VALUES in the migration."));
    }
}
