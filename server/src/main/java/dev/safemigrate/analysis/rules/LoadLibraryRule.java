package dev.safemigrate.analysis.rules;

import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: LOAD puts a shared library from the server's disk into the backend: native code, outside any SQL check. */
public final class LoadLibraryRule implements Rule {

    public List<String> ids() {
        return List.of("load-library");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("load")) {
            return List.of();
        }
        return List.of(s.finding("load-library", Severity.BLOCK,
                "LOAD runs a shared library from the database server's disk inside the server process.",
                "Libraries are the administrator's: shared_preload_libraries in postgresql.conf, or "
                        + "CREATE EXTENSION for an installed extension."));
    }
}
