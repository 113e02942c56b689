package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a statement from its tokens alone: the leading keywords give the kind, a little grammar
 * per kind gives targets and actions. It never needs the statement to be valid SQL, which is why
 * it understands the PostgreSQL forms JSqlParser rejects ({@code NOT VALID}, {@code USING INDEX},
 * {@code DO $$…$$}, {@code VACUUM FULL}, …).
 */
public final class LexicalClassifier {

    /** Modifiers between CREATE and the object word. */
    private static final Set<String> CREATE_MODIFIERS = Set.of("or", "replace", "global", "local", "temp", "temporary",
            "unlogged", "unique", "recursive", "trusted", "procedural", "default", "constraint");

    /** Two-word objects, so that {@code DROP MATERIALIZED VIEW} is not {@code drop_materialized}. */
    private static final Set<String> TWO_WORD_OBJECTS = Set.of("materialized view", "user mapping", "foreign table",
            "event trigger", "access method", "text search", "foreign data", "default privileges", "large object");

    /** Kinds whose danger the lexical reading settles completely; the rest are parsed as a cross-check. */
    private static final Set<String> UNCERTAIN = Set.of("select", "with", "values", "table", "update", "delete", "merge",
            "insert", "create_view", "create_materialized_view", "create_table_as", "explain", Reading.OPAQUE);

    public Reading read(StatementTokens t) {
        Reading r = classify(t);
        boolean certain = !UNCERTAIN.contains(r.kind()) && !r.has("other") || r.has("insert_values");
        return new Reading(r.kind(), r.targets(), r.actions(), certain);
    }

    private Reading classify(StatementTokens t) {
        SqlToken first = t.get(0);
        if (first == null || first.type() != SqlToken.Type.WORD) {
            return Reading.opaque();
        }
        String w = first.text();
        return switch (w) {
            case "create" -> create(t);
            case "alter" -> alter(t);
            case "drop" -> drop(t);
            case "insert" -> Dml.insert(t);
            case "update", "delete", "merge", "with" -> Dml.modify(t, w);
            case "copy" -> simple("copy", t, 1);
            case "truncate" -> truncate(t);
            case "grant", "revoke" -> grant(t, w);
            case "do" -> simple("do_block", t, -1);
            case "start" -> simple(t.isWord(1, "transaction") ? "start_transaction" : Reading.OPAQUE, t, -1);
            case "begin", "commit", "end", "rollback", "abort", "savepoint", "release", "checkpoint", "listen", "notify",
                 "unlisten", "discard", "show", "values", "table", "call", "load", "deallocate", "execute", "prepare",
                 "fetch", "declare", "close", "move", "analyze", "analyse", "cluster", "select", "security", "import",
                 "reassign", "lock", "vacuum", "reindex", "refresh", "comment", "set", "reset" -> simple(normalise(t, w), t, -1);
            case "explain" -> explain(t);
            default -> Reading.opaque();
        };
    }

    private static String normalise(StatementTokens t, String w) {
        return switch (w) {
            case "analyse" -> "analyze";
            case "prepare" -> t.isWord(1, "transaction") ? "prepare_transaction" : "prepare";
            case "commit", "rollback" -> t.isWord(1, "prepared") ? w + "_prepared" : w;
            case "release" -> "release_savepoint";
            case "import" -> "import_foreign_schema";
            case "security" -> "security_label";
            case "reassign" -> "reassign_owned";
            case "refresh" -> "refresh_materialized_view";
            default -> w;
        };
    }

    private static Reading simple(String kind, StatementTokens t, int targetAt) {
        List<String> targets = new ArrayList<>();
        if (targetAt >= 0) {
            StatementTokens.QualifiedName n = t.nameAt(targetAt);
            if (n != null) {
                targets.add(n.name());
            }
        }
        return new Reading(kind, targets, Set.of(), true);
    }

    private Reading create(StatementTokens t) {
        int i = 1;
        while (t.get(i) != null && t.get(i).type() == SqlToken.Type.WORD && CREATE_MODIFIERS.contains(t.get(i).text())) {
            i++;
        }
        String object = objectWords(t, i);
        if (object == null) {
            return Reading.opaque();
        }
        int after = i + object.split("_").length;
        return switch (object) {
            case "table" -> CreateTable.read(t, after);
            case "index" -> CreateIndex.read(t, after);
            case "extension" -> {
                int n = t.wordsAt(after, "if", "not", "exists") ? after + 3 : after;
                StatementTokens.QualifiedName name = t.nameAt(n);
                yield new Reading("create_extension", name == null ? List.of() : List.of(name.name()), Set.of(), true);
            }
            case "view" -> simple("create_view", t, t.wordsAt(after, "if", "not", "exists") ? after + 3 : after);
            case "materialized_view" -> simple("create_materialized_view", t,
                    t.wordsAt(after, "if", "not", "exists") ? after + 3 : after);
            default -> simple("create_" + object, t, t.wordsAt(after, "if", "not", "exists") ? after + 3 : after);
        };
    }

    private Reading alter(StatementTokens t) {
        String object = objectWords(t, 1);
        if (object == null) {
            return Reading.opaque();
        }
        int after = 1 + object.split("_").length;
        if (object.equals("table")) {
            return AlterTable.read(t, after);
        }
        Set<String> actions = new LinkedHashSet<>();
        if (object.equals("database") || object.equals("role") || object.equals("user") || object.equals("group")) {
            int setAt = t.find(after, t.size(), "set");
            int resetAt = t.find(after, t.size(), "reset");
            int at = setAt >= 0 ? setAt : resetAt;
            if (at >= 0) {
                StatementTokens.QualifiedName setting = t.nameAt(at + 1);
                actions.add((setAt >= 0 ? "set:" : "reset:") + (setting == null ? "" : setting.name()));
            }
        }
        if (t.contains(after, t.size(), "rename", "to")) {
            actions.add("rename");
        }
        int nameAt = t.wordsAt(after, "if", "exists") ? after + 2 : after;
        StatementTokens.QualifiedName name = t.nameAt(nameAt);
        return new Reading("alter_" + object, name == null ? List.of() : List.of(name.name()), actions, true);
    }

    private Reading drop(StatementTokens t) {
        String object = objectWords(t, 1);
        if (object == null) {
            return Reading.opaque();
        }
        int i = 1 + object.split("_").length;
        Set<String> actions = new LinkedHashSet<>();
        if (t.isWord(i, "concurrently")) {
            actions.add("concurrently");
            i++;
        }
        if (t.wordsAt(i, "if", "exists")) {
            i += 2;
        }
        List<String> targets = new ArrayList<>();
        for (int[] seg : t.segments(i, t.size(), 0)) {
            StatementTokens.QualifiedName n = t.nameAt(seg[0]);
            if (n != null && !n.name().equals("cascade") && !n.name().equals("restrict")) {
                targets.add(n.name());
            }
        }
        return new Reading("drop_" + object, targets, actions, true);
    }

    private static Reading truncate(StatementTokens t) {
        int i = t.isWord(1, "table") ? 2 : 1;
        if (t.isWord(i, "only")) {
            i++;
        }
        List<String> targets = new ArrayList<>();
        for (int[] seg : t.segments(i, t.size(), 0)) {
            StatementTokens.QualifiedName n = t.nameAt(t.isWord(seg[0], "only") ? seg[0] + 1 : seg[0]);
            if (n != null) {
                targets.add(n.name());
            }
        }
        return new Reading("truncate", targets, Set.of(), true);
    }

    /** GRANT role TO role has no ON: it hands over a role's powers, not a privilege on an object. */
    private static Reading grant(StatementTokens t, String w) {
        int to = t.find(1, t.size(), w.equals("grant") ? "to" : "from");
        boolean onObject = to >= 0 && t.contains(1, to, "on");
        return new Reading(w, List.of(), onObject ? Set.of() : Set.of(w + "_role"), true);
    }

    private Reading explain(StatementTokens t) {
        int i = 1;
        boolean analyze = false;
        if (t.get(i) != null && t.get(i).isSymbol("(")) {
            analyze = t.contains(i, t.closing(i), "analyze") || t.contains(i, t.closing(i), "analyse");
            i = t.closing(i) + 1;
        }
        while (t.isWord(i, "analyze") || t.isWord(i, "analyse") || t.isWord(i, "verbose")) {
            analyze |= !t.isWord(i, "verbose");
            i++;
        }
        if (!analyze) {
            return new Reading("explain", List.of(), Set.of(), false);
        }
        // EXPLAIN ANALYZE executes its statement: it is read as that statement
        return read(new StatementTokens(t.list().subList(i, t.size())));
    }

    /** The object word(s) at i, joined by '_', or null when there is no word. */
    private static String objectWords(StatementTokens t, int i) {
        SqlToken a = t.get(i);
        if (a == null || a.type() != SqlToken.Type.WORD) {
            return null;
        }
        SqlToken b = t.get(i + 1);
        if (b != null && b.type() == SqlToken.Type.WORD && TWO_WORD_OBJECTS.contains(a.text() + " " + b.text())) {
            SqlToken c = t.get(i + 2);
            boolean threeWords = c != null && (a.text().equals("foreign") && b.text().equals("data")
                    || a.text().equals("text") && b.text().equals("search"));
            return a.text() + "_" + b.text() + (threeWords ? "_" + c.text() : "");
        }
        return a.text();
    }
}
