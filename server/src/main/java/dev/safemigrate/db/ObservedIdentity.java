package dev.safemigrate.db;

import java.util.List;

/**
 * What the database says about itself on this connection, before any judgement.
 *
 * @param urlHosts       the hosts the configured URL names (what the policy allows or denies)
 * @param serverAddress  {@code inet_server_addr()}, or null over a Unix socket
 * @param environment    the {@code safemigrate.environment} marker, or null when absent
 */
public record ObservedIdentity(List<String> urlHosts, int port, String database, String user, String serverVersion,
                               int serverVersionNum, String searchPath, String serverAddress, String environment,
                               boolean inRecovery) {
    public ObservedIdentity {
        urlHosts = List.copyOf(urlHosts);
    }
}
