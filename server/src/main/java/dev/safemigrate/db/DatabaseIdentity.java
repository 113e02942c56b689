package dev.safemigrate.db;

import java.util.List;

/**
 * The identity block every result that touched the database carries: where the agent is, as
 * whom, and whether this database is proven to be the development database ({@code verified}).
 *
 * @param privileges      the powers beyond its own database the connecting role holds
 *                        ({@link RolePower}); empty for a least-privileged role
 * @param leastPrivileged whether {@code privileges} is empty: the database itself then refuses
 *                        what reaches other databases, server files and programs
 * @param serverAddress   the address the server itself reports ({@code inet_server_addr()}): a
 *                        configured "localhost" answered from another address is a tunnel, a proxy
 *                        or a container, which a person should be able to see
 */
public record DatabaseIdentity(String host, int port, String name, String user, List<String> privileges,
                               boolean leastPrivileged, String serverVersion, String searchPath, String environment,
                               String serverAddress, boolean verified, List<String> problems) {

    public DatabaseIdentity {
        privileges = List.copyOf(privileges);
        problems = List.copyOf(problems);
    }

    public static DatabaseIdentity of(ObservedIdentity o, List<String> problems) {
        return new DatabaseIdentity(String.join(",", o.urlHosts()), o.port(), o.database(), o.user(), o.powers(),
                o.leastPrivileged(), o.serverVersion(), o.searchPath(), o.environment(), o.serverAddress(),
                problems.isEmpty(), problems);
    }
}
