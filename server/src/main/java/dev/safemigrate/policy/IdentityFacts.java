package dev.safemigrate.policy;

import java.util.List;

/** The facts about a database connection that decide whether it may be written to. */
public record IdentityFacts(List<String> hosts, String database, String environmentMarker, boolean inRecovery) {
    public IdentityFacts {
        hosts = List.copyOf(hosts);
    }
}
