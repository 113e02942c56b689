package dev.safemigrate.db;

import java.util.List;

/**
 * The identity block every result that touched the database carries: where the agent is, and
 * whether this database is proven to be the development database ({@code verified}).
 *
 * @param serverAddress the address the server itself reports ({@code inet_server_addr()}): a
 *                      configured "localhost" answered from another address is a tunnel, a proxy
 *                      or a container, which a person should be able to see
 */
public record DatabaseIdentity(String host, int port, String name, String user, String serverVersion,
                               String searchPath, String environment, String serverAddress, boolean verified,
                               List<String> problems) {

    public DatabaseIdentity {
        problems = List.copyOf(problems);
    }

    public static DatabaseIdentity of(ObservedIdentity o, List<String> problems) {
        return new DatabaseIdentity(String.join(",", o.urlHosts()), o.port(), o.database(), o.user(), o.serverVersion(),
                o.searchPath(), o.environment(), o.serverAddress(), problems.isEmpty(), problems);
    }
}
