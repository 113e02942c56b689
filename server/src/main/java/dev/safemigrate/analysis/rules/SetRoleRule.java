package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.SqlToken;
import dev.safemigrate.analysis.StatementContext;
import dev.safemigrate.analysis.StatementTokens;

/**
 * block: switching the session's identity escapes the privileges the migration was given. Every
 * spelling counts: {@code SET [SESSION|LOCAL] ROLE}, the generic {@code SET "role"} and
 * {@code SET session_authorization} (setting names are case-insensitive, quoted or not),
 * {@code SET SESSION AUTHORIZATION}, their RESET forms, {@code RESET ALL}, {@code set_config('role', …)}
 * (any quoting; a first argument that is not a literal could be 'role' and counts too), a
 * {@code SET role} clause on a function, and all of these inside a DO block or a function body.
 * {@code SET SESSION CHARACTERISTICS} and {@code SET TRANSACTION} change no identity.
 */
public final class SetRoleRule implements Rule {

    private static final Set<String> IDENTITY_SETTINGS = Set.of("role", "session_authorization");
    private static final Set<String> FUNCTION_HEADERS = Set.of("create_function", "create_procedure", "alter_function",
            "alter_procedure", "alter_routine");
    /** Words after which a new statement starts inside procedural code. */
    private static final Set<String> CODE_STATEMENT_STARTS = Set.of("begin", "then", "else", "loop", "atomic", "do");

    public List<String> ids() {
        return List.of("set-role");
    }

    public List<Finding> check(StatementContext s) {
        StatementTokens t = s.tokens();
        boolean statement = (s.kind().equals("set") || s.kind().equals("reset")) && switchesAt(t.list(), 0);
        boolean clause = FUNCTION_HEADERS.contains(s.kind()) && functionClause(t);
        boolean call = setConfigOfRole(t.list());
        // SET/RESET statements inside procedural code, strings of dynamic SQL included
        boolean inCode = ProceduralCode.KINDS.contains(s.kind()) && ProceduralCode.anyStatement(t.list(),
                CODE_STATEMENT_STARTS, SetRoleRule::switchesAt, SetRoleRule::setConfigOfRole);
        if (!statement && !clause && !call && !inCode) {
            return List.of();
        }
        return List.of(s.finding("set-role", Severity.BLOCK,
                "Switches or resets the identity the migration runs as (SET ROLE, SET SESSION AUTHORIZATION, "
                        + "set_config('role', …), RESET ALL or another spelling of them).",
                "Run the migration as the role that should own the objects; hand over ownership explicitly: "
                        + "ALTER TABLE app.orders OWNER TO app_owner;"));
    }

    /** Whether SET/RESET at i names an identity setting, or is RESET ALL. */
    static boolean switchesAt(List<SqlToken> t, int i) {
        boolean reset = word(t, i, "reset");
        if (!reset && !word(t, i, "set")) {
            return false;
        }
        int at = i + 1;
        if (!reset && (word(t, at, "local") || word(t, at, "session") && !word(t, at + 1, "authorization")
                && !word(t, at + 1, "characteristics"))) {
            at++;
        }
        if (word(t, at, "session") && word(t, at + 1, "authorization") || reset && word(t, at, "all")) {
            return true;
        }
        return at < t.size() && t.get(at).isName()
                && IDENTITY_SETTINGS.contains(t.get(at).text().toLowerCase(Locale.ROOT));
    }

    /** {@code CREATE/ALTER FUNCTION … SET role = x}: in the header, before a SQL-standard body. */
    private static boolean functionClause(StatementTokens t) {
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).depth() == 0 && (t.wordsAt(i, "begin", "atomic") || t.isWord(i, "return"))) {
                return false;
            }
            if (t.get(i).depth() == 0 && t.isWord(i, "set") && switchesAt(t.list(), i)) {
                return true;
            }
        }
        return false;
    }

    /** {@code [pg_catalog.]set_config(x, …)} where x is 'role', 'session_authorization', or not a literal. */
    static boolean setConfigOfRole(List<SqlToken> t) {
        for (int i = 0; i + 2 < t.size(); i++) {
            SqlToken name = t.get(i);
            // a text that lowercases to set_config has its 10 characters (what lowercases to several is not ASCII)
            if (!name.isName() || name.text().length() != 10 || !name.text().toLowerCase(Locale.ROOT).equals("set_config")
                    || !t.get(i + 1).isSymbol("(")) {
                continue;
            }
            SqlToken first = t.get(i + 2);
            int after = i + 3;
            while (after + 1 < t.size() && t.get(after).isSymbol("::") && t.get(after + 1).isName()) {
                after += 2;
            }
            boolean literal = first.isString() && after < t.size() && t.get(after).isSymbol(",");
            if (!literal || IDENTITY_SETTINGS.contains(first.text().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean word(List<SqlToken> t, int i, String w) {
        return i >= 0 && i < t.size() && t.get(i).isWord(w);
    }
}
