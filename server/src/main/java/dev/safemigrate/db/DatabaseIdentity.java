package dev.safemigrate.db;

import java.util.List;

/**
 * The identity block every result that touched the database carries: where the agent is, and
 * whether this database is proven to be the development database ({@code verified}).
 */
public record DatabaseIdentity(String host, int port, String name, String user, String serverVersion,
                               String searchPath, String environment, boolean verified, List<String> problems) {

    public DatabaseIdentity {
        problems = List.copyOf(problems);
    }

    public static DatabaseIdentity of(ObservedIdentity o, List<String> problems) {
        return new DatabaseIdentity(String.join(",", o.urlHosts()), o.port(), o.database(), o.user(), o.serverVersion(),
                o.searchPath(), o.environment(), problems.isEmpty(), problems);
    }
}
