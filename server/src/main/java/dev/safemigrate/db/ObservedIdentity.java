package dev.safemigrate.db;

import java.util.List;

/**
 * What the database says about itself on this connection, before any judgement.
 *
 * @param urlHosts          the hosts the configured URL names (what the policy allows or denies)
 * @param urlDatabase       the database the configured URL names (what pg_dump is given), or empty
 * @param database          {@code pg_catalog.current_database()}: the database actually reached
 * @param searchPath        the search_path migrations run under (the database and role defaults)
 * @param searchPathSchemas the existing schemas on it, in order ({@code current_schemas(false)})
 * @param serverAddress     {@code inet_server_addr()}, or null over a Unix socket
 * @param environment       the {@code safemigrate.environment} marker the database itself sets, or null
 * @param sessionEnvironment the marker this session sees, which a role default or URL option may override
 * @param powers            the {@link RolePower} labels the connecting role holds; empty for a least-privileged role
 */
public record ObservedIdentity(List<String> urlHosts, int port, String urlDatabase, String database, String user,
                               String serverVersion, int serverVersionNum, String searchPath,
                               List<String> searchPathSchemas, String serverAddress, String environment,
                               String sessionEnvironment, boolean inRecovery, List<String> powers) {
    public ObservedIdentity {
        urlHosts = List.copyOf(urlHosts);
        searchPathSchemas = List.copyOf(searchPathSchemas);
        powers = List.copyOf(powers);
    }

    public boolean leastPrivileged() {
        return powers.isEmpty();
    }
}
