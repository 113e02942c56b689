package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.SqlToken;
import dev.safemigrate.analysis.StatementContext;
import dev.safemigrate.analysis.StatementTokens;

/**
 * block: a migration changes its own database only. CREATE DATABASE makes another one; ALTER,
 * COMMENT ON, SECURITY LABEL ON and GRANT/REVOKE … ON DATABASE naming any database but the
 * development one act on another — production's marker, owner or access among them. Names are
 * compared as PostgreSQL resolves them (unquoted folded to lower case, quoted exact); when the
 * development database is not known, every database named is another one.
 */
public final class OtherDatabaseRule implements Rule {

    public List<String> ids() {
        return List.of("other-database");
    }

    public List<Finding> check(StatementContext s) {
        if (s.kind().equals("create_database")) {
            return List.of(s.finding("other-database", Severity.BLOCK,
                    "CREATE DATABASE makes a new database; a migration changes only the database it is applied to.",
                    "Ask whoever runs the server to create databases; put schemas for separate concerns in this one: "
                            + "CREATE SCHEMA reporting;"));
        }
        List<String> named = databasesNamed(s);
        if (named.isEmpty()) {
            return List.of();
        }
        List<String> others = named.stream().filter(n -> !s.isDevDatabase(n)).toList();
        if (others.isEmpty()) {
            return List.of();
        }
        String which = String.join(", ", others);
        return List.of(s.finding("other-database", Severity.BLOCK,
                s.devDatabase() == null
                        ? "Acts on database " + which + ", and which database this migration is for is not known here: "
                                + "a statement about a database counts as one about another database."
                        : "Acts on database " + which + ", not on " + s.devDatabase() + ", the database this migration is for.",
                "Leave other databases alone; settings for this one belong to the person who administers it."));
    }

    /** The databases an ALTER/COMMENT ON/SECURITY LABEL ON/GRANT/REVOKE … DATABASE statement names. */
    static List<String> databasesNamed(StatementContext s) {
        StatementTokens t = s.tokens();
        List<String> out = new ArrayList<>();
        switch (s.kind()) {
            case "alter_database" -> addName(t, 2, out);
            case "comment", "security_label" -> {
                int on = t.find(1, t.size(), "on", "database");
                if (on >= 0) {
                    addName(t, on + 2, out);
                }
            }
            case "grant", "revoke" -> {
                int on = t.find(1, t.size(), "on", "database");
                if (on >= 0) {
                    for (int i = on + 2; i < t.size() && !t.isWord(i, "to") && !t.isWord(i, "from"); i++) {
                        if (t.get(i).isName()) {
                            out.add(t.get(i).text());
                        }
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    private static void addName(StatementTokens t, int i, List<String> out) {
        SqlToken name = t.get(i);
        // no name where one belongs: not understood, so treated as another database
        out.add(name != null && name.isName() ? name.text() : "(unnamed)");
    }
}
