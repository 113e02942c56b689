package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Lexical reading of CREATE TABLE: the new table, its column types, the tables it references. */
final class CreateTable {

    /** Words that open a table constraint, not a column definition. */
    private static final Set<String> TABLE_CONSTRAINT = Set.of("constraint", "primary", "unique", "check", "foreign",
            "exclude", "like");

    private CreateTable() {}

    static Reading read(StatementTokens t, int after) {
        int i = t.wordsAt(after, "if", "not", "exists") ? after + 3 : after;
        StatementTokens.QualifiedName name = t.nameAt(i);
        if (name == null) {
            return Reading.opaque();
        }
        Set<String> actions = new LinkedHashSet<>();
        SqlToken open = t.get(name.next());
        if (t.isWord(name.next(), "as")) {
            return new Reading("create_table_as", List.of(name.name()), actions, false);
        }
        if (open != null && open.isSymbol("(")) {
            int close = t.closing(name.next());
            for (int[] seg : t.segments(name.next() + 1, close, open.depth() + 1)) {
                SqlToken first = t.get(seg[0]);
                if (first == null || !first.isName()
                        || (first.type() == SqlToken.Type.WORD && TABLE_CONSTRAINT.contains(first.text()))) {
                    continue;
                }
                String type = TypeName.at(t, seg[0] + 1);
                if (type != null) {
                    actions.add("column_type:" + type);
                }
            }
        }
        if (t.contains(name.next(), t.size(), "references")) {
            actions.add("references");
        }
        return new Reading("create_table", List.of(name.name()), actions, true);
    }
}
