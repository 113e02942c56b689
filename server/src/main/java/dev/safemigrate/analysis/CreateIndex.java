package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Lexical reading of CREATE [UNIQUE] INDEX [CONCURRENTLY] … ON table. */
final class CreateIndex {

    private CreateIndex() {}

    static Reading read(StatementTokens t, int after) {
        Set<String> actions = new LinkedHashSet<>();
        if (t.isWord(after, "concurrently")) {
            actions.add("concurrently");
        }
        int on = t.find(after, t.size(), "on");
        if (on < 0) {
            return Reading.opaque();
        }
        int i = t.isWord(on + 1, "only") ? on + 2 : on + 1;
        StatementTokens.QualifiedName table = t.nameAt(i);
        return new Reading("create_index", table == null ? List.of() : List.of(table.name()), actions, true);
    }
}
