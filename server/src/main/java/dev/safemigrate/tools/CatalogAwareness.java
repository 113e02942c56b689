package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.db.CatalogFactsReader;
import dev.safemigrate.migrations.Migration;
import dev.safemigrate.migrations.MigrationSnapshot;

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

    /**
     * The facts for every migration file that has not run on the development database, by script,
     * or none with why.
     */
    public record ForSnapshot(Map<String, CatalogFacts> facts, String serverVersion, String staticWhy) {

        /** The basis of one file's analysis: catalog when it has facts, static otherwise, saying why. */
        public AnalysisBasis basis(String script) {
            if (facts.containsKey(script)) {
                return AnalysisBasis.catalog(serverVersion);
            }
            return AnalysisBasis.staticOnly(staticWhy != null ? staticWhy
                    : "static only: this migration is already recorded in the development database, whose catalog "
                    + "shows its result, not what it starts from");
        }
    }

    private CatalogAwareness() {}

    /**
     * Asks the configured database, when it is reachable and proven to be the development
     * database, for the facts of each pending file of the snapshot (for {@code safemigrate check}).
     */
    public static ForSnapshot forSnapshot(Project project, MigrationSnapshot snapshot) {
        try (ProvenConnection db = ProvenConnection.open(project)) {
            String why = unusable(db);
            if (why != null) {
                return new ForSnapshot(Map.of(), null, why);
            }
            List<Pending> pending = new ArrayList<>();
            for (Migration m : project.history(db.settings).info(snapshot)) {
                if (m.pending() && m.file().isPresent()) {
                    pending.add(new Pending(m.file().get().script(),
                            project.analyzer().analyze(m.file().get().text(), db.identity.name())));
                }
            }
            return new ForSnapshot(forPending(db, pending), db.observed.serverVersion(), null);
        } catch (ToolException e) {
            return new ForSnapshot(Map.of(), null, "static only: the development database cannot be reached ("
                    + e.error().message() + ")");
        } catch (SQLException | FlywayException e) {
            return new ForSnapshot(Map.of(), null, "static only: the catalog could not be read: " + e.getMessage());
        }
    }

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
