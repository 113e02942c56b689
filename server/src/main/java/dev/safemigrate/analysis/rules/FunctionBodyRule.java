package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Locale;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.SqlToken;
import dev.safemigrate.analysis.StatementContext;
import dev.safemigrate.analysis.StatementTokens;

/**
 * confirm: a function or procedure body is code analysis does not read. It runs later — from a
 * statement, a trigger, a default, a view — with whatever the caller may do, so a person must
 * have read it. Calls it makes to blocked functions are still found and blocked by their rules.
 */
public final class FunctionBodyRule implements Rule {

    public List<String> ids() {
        return List.of("function-body");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("create_function") && !s.kind().equals("create_procedure")) {
            return List.of();
        }
        String what = s.kind().equals("create_function") ? "function" : "procedure";
        String name = s.reading().targets().isEmpty() ? "" : " " + s.reading().targets().get(0);
        return List.of(s.finding("function-body", Severity.CONFIRM,
                "CREATE " + what.toUpperCase(Locale.ROOT) + name + ": its body is " + language(s.tokens())
                        + " code that analysis does not read; it runs whenever the " + what + " is called.",
                "Have a person read the body before confirming; where plain SQL statements can do the job "
                        + "(a backfill, a conditional DDL with IF [NOT] EXISTS), write those instead."));
    }

    /** The LANGUAGE clause, or sql for a SQL-standard body (BEGIN ATOMIC … END, RETURN …). */
    static String language(StatementTokens t) {
        for (int i = 0; i + 1 < t.size(); i++) {
            SqlToken tok = t.get(i);
            if (tok.depth() == 0 && tok.isWord("language")) {
                SqlToken lang = t.get(i + 1);
                if (lang.isName() || lang.type() == SqlToken.Type.STRING) {
                    return lang.text().toLowerCase(Locale.ROOT);
                }
            }
        }
        boolean standardBody = t.contains(0, t.size(), "begin", "atomic") || t.contains(0, t.size(), "return");
        return standardBody ? "sql" : "unnamed-language";
    }
}
