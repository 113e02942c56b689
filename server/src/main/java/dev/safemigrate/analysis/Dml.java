package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Lexical reading of INSERT, UPDATE, DELETE, MERGE and WITH … statements. */
final class Dml {

    private Dml() {}

    /**
     * {@code INSERT … VALUES} with no query inside is the bulk-load shape: its reading is complete
     * here (function calls inside VALUES are still found by the rules' token scan), so it takes
     * the fast path and skips the parser.
     */
    static Reading insert(StatementTokens t) {
        int i = t.isWord(1, "into") ? 2 : 1;
        StatementTokens.QualifiedName name = t.nameAt(i);
        Set<String> modifications = modifications(t);
        int values = t.find(i, t.size(), "values");
        boolean plain = values >= 0 && values == firstDepthZeroWordAfter(t, name == null ? i : name.next())
                && !t.contains(values, t.size(), "select");
        Set<String> actions;
        if (modifications.isEmpty()) {   // the bulk-load shape: no set to build and copy per row
            actions = plain ? Set.of("insert_values") : Set.of();
        } else {
            actions = new LinkedHashSet<>(modifications);
            if (plain) {
                actions.add("insert_values");
            }
        }
        return new Reading("insert", name == null ? List.of() : List.of(name.name()), actions, plain);
    }

    static Reading modify(StatementTokens t, String verb) {
        String kind = verb;
        if (verb.equals("with")) {
            kind = "select";
            for (int i = 1; i < t.size(); i++) {
                SqlToken w = t.get(i);
                if (w.depth() == 0 && w.type() == SqlToken.Type.WORD && Set.of("select", "insert", "update", "delete",
                        "merge", "values", "table").contains(w.text())) {
                    kind = w.text();
                    break;
                }
            }
        }
        List<String> targets = new ArrayList<>();
        int at = verb.equals("delete") ? (t.isWord(1, "from") ? 2 : 1) : verb.equals("merge") ? (t.isWord(1, "into") ? 2 : 1) : 1;
        if (!verb.equals("with")) {
            StatementTokens.QualifiedName n = t.nameAt(t.isWord(at, "only") ? at + 1 : at);
            if (n != null) {
                targets.add(n.name());
            }
        }
        return new Reading(kind, targets, modifications(t), false);
    }

    private static int firstDepthZeroWordAfter(StatementTokens t, int from) {
        for (int i = from; i < t.size(); i++) {
            SqlToken tok = t.get(i);
            if (tok.depth() == 0 && tok.type() == SqlToken.Type.WORD) {
                return i;
            }
        }
        return -1;
    }

    /** Where the WHERE condition starting at from ends: at RETURNING, at the closing parenthesis, or at the end. */
    private static int conditionEnd(StatementTokens t, int from, int depth) {
        for (int k = from; k < t.size(); k++) {
            SqlToken x = t.get(k);
            if (x.depth() < depth || x.depth() == depth && (x.isWord("returning") || x.isSymbol(";"))) {
                return k;
            }
        }
        return t.size();
    }

    /**
     * Every UPDATE or DELETE in the statement, data-modifying CTEs included, and whether it has a
     * WHERE at its own parenthesis depth; a WHERE that is true for every row
     * ({@link TrivialCondition}) counts as none. ON DELETE / FOR UPDATE / DO UPDATE / THEN UPDATE are
     * clauses of other statements, not modifications of a whole table.
     */
    static Set<String> modifications(StatementTokens t) {
        Set<String> out = Set.of();   // most statements modify no whole table: allocated at the first
        for (int i = 0; i < t.size(); i++) {
            SqlToken tok = t.get(i);
            boolean delete = tok.isWord("delete");
            if (!delete && !tok.isWord("update")) {
                continue;
            }
            SqlToken prev = t.get(i - 1);
            if (prev != null && prev.type() == SqlToken.Type.WORD
                    && Set.of("on", "for", "key", "do", "then", "before", "after", "or", "of", "grant").contains(prev.text())) {
                continue;
            }
            if (prev != null && prev.isSymbol(",")) {
                continue;   // GRANT SELECT, UPDATE …
            }
            int depth = tok.depth();
            boolean where = false;
            for (int k = i + 1; k < t.size(); k++) {
                SqlToken x = t.get(k);
                if (x.depth() < depth) {
                    break;
                }
                if (x.depth() == depth && x.isWord("where")) {
                    where = !TrivialCondition.alwaysTrue(t, k + 1, conditionEnd(t, k + 1, depth));
                    break;
                }
            }
            if (!where) {
                if (out.isEmpty()) {
                    out = new LinkedHashSet<>();
                }
                out.add(delete ? "delete_without_where" : "update_without_where");
            }
        }
        return out;
    }
}
