package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * block: dblink, foreign data wrappers, foreign tables and logical-replication subscriptions reach
 * other databases, production ones included.
 */
public final class RemoteDatabaseRule implements Rule {

    private static final Set<String> KINDS = Set.of("create_server", "alter_server", "create_user_mapping",
            "alter_user_mapping", "create_foreign_data_wrapper", "alter_foreign_data_wrapper", "import_foreign_schema",
            "create_foreign_table", "create_subscription", "alter_subscription");

    private static final Set<String> EXTENSIONS = Set.of("dblink", "postgres_fdw", "file_fdw");

    public List<String> ids() {
        return List.of("remote-database-access");
    }

    public List<Finding> check(StatementContext s) {
        boolean extension = s.kind().equals("create_extension")
                && s.reading().targets().stream().anyMatch(EXTENSIONS::contains);
        boolean call = false;
        for (String f : s.calls()) {   // every statement is asked: no stream
            call |= f.startsWith("dblink");
        }
        if (!KINDS.contains(s.kind()) && !extension && !call) {
            return List.of();
        }
        return List.of(s.finding("remote-database-access", Severity.BLOCK,
                "dblink, postgres_fdw, foreign servers, user mappings and subscriptions let this database reach other databases "
                        + "(and their credentials); a migration must only change its own schema.",
                "Move data between databases with the team's own tooling (pg_dump/pg_restore, an ETL job), "
                        + "not from inside a migration."));
    }
}
