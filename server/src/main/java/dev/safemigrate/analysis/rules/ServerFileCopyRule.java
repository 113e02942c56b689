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
 * client connection and are fine. A COPY … PROGRAM or file inside a DO block or a function body
 * (dynamic SQL strings included) is blocked too: running the function runs the command.
 */
public final class ServerFileCopyRule implements Rule {

    public List<String> ids() {
        return List.of("copy-server-file");
    }

    private static final Set<String> CODE_STATEMENT_STARTS = Set.of("begin", "then", "else", "loop", "atomic");

    public List<Finding> check(StatementContext s) {
        if (ProceduralCode.KINDS.contains(s.kind()) && ProceduralCode.anyStatement(s.tokens().list(),
                CODE_STATEMENT_STARTS, ServerFileCopyRule::copiesToServer, inner -> false)) {
            return List.of(s.finding("copy-server-file", Severity.BLOCK,
                    "The code contains COPY … PROGRAM or COPY to or from a server file: running it runs a shell "
                            + "command or reads or writes files on the database server.",
                    "Load data through the client: COPY app.items FROM STDIN (FORMAT csv); or INSERT … VALUES in the migration."));
        }
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

    /** A COPY statement in procedural code (or in its strings) that names PROGRAM or a file. */
    private static boolean copiesToServer(List<SqlToken> t, int i) {
        if (!t.get(i).isWord("copy")) {
            return false;
        }
        for (int k = i + 1; k < t.size() && !t.get(k).isSymbol(";"); k++) {
            boolean direction = t.get(k).isWord("to") || t.get(k).isWord("from");
            SqlToken next = k + 1 < t.size() ? t.get(k + 1) : null;
            // a string of dynamic SQL that ends at TO/FROM gets its target concatenated: a file name
            if (t.get(k).isWord("program") || direction && (next == null || next.isString())) {
                return true;
            }
        }
        return false;
    }
}
