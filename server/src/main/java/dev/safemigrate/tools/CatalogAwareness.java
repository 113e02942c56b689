package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.CatalogFactsReader;

/**
 * The catalog facts for migrations that have not run yet, read once per call. The catalog shows
 * the schema as it is now, so a migration only gets facts about a table no earlier pending
 * migration changes, and an applied migration gets none: its own effect is already in the catalog
 * (after {@code TYPE varchar(20)} ran, the column "is" varchar(20), and the change would look like
 * none at all).
 */
public final class CatalogAwareness {

    /** A migration that has not run, with its static analysis (for the tables it targets). */
    public record Pending(String key, MigrationAnalysis analysis) {}

    private CatalogAwareness() {}

    /**
     * @param pending every pending migration in the order Flyway would apply them (a new one last)
     * @return the facts each may use, by key; only the proven development database is asked
     */
    public static Map<String, CatalogFacts> forPending(ProvenConnection db, List<Pending> pending) throws SQLException {
        Set<String> targets = new LinkedHashSet<>();
        pending.forEach(p -> targets.addAll(targets(p.analysis())));
        CatalogFacts all = CatalogFactsReader.read(db.connection, targets, db.observed.searchPathSchemas(),
                db.observed.serverVersion());
        Map<String, CatalogFacts> out = new HashMap<>();
        List<String> earlier = new ArrayList<>();
        for (Pending p : pending) {
            out.put(p.key(), all.without(earlier));
            earlier.addAll(targets(p.analysis()));
        }
        return out;
    }

    /** Why the catalog cannot be used, or null when this connection may be asked. */
    public static String unusable(ProvenConnection db) {
        return db.identity.verified() ? null
                : "static only: the configured database is not proven to be the development database ("
                + String.join("; ", db.identity.problems()) + ")";
    }

    static Set<String> targets(MigrationAnalysis a) {
        Set<String> out = new LinkedHashSet<>();
        for (StatementAnalysis s : a.statements()) {
            out.addAll(s.targets());
        }
        return out;
    }
}
