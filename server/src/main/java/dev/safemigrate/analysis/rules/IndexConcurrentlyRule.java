package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** warn: CREATE INDEX takes a SHARE lock, blocking every write to the table until the index is built. */
public final class IndexConcurrentlyRule implements Rule {

    public List<String> ids() {
        return List.of("index-not-concurrent");
    }

    @Override
    public boolean readsCatalogFacts() {
        return true;
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("create_index") || s.has("concurrently") || !s.onExistingTable()) {
            return List.of();
        }
        return List.of(s.finding("index-not-concurrent", Severity.WARN,
                "CREATE INDEX on " + s.target() + " blocks all writes to it (ShareLock) for as long as the build takes"
                        + s.sizeNote() + ".",
                "CREATE INDEX CONCURRENTLY … ON " + s.target() + " (…); in a migration of its own "
                        + "(it cannot run inside a transaction)."));
    }
}
