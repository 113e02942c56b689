package dev.safemigrate.policy;

import java.util.List;

/**
 * The facts about a database connection that decide whether it may be written to.
 *
 * @param urlDatabase        the database the configured URL names (empty when it names none)
 * @param database           the database the server says this is
 * @param environmentMarker  the marker the database itself sets, or null
 * @param sessionMarker      the marker this session sees (a role default or URL option can set it), or null
 * @param role               the connecting role
 * @param rolePowers         its powers beyond its own database; empty for a least-privileged role
 */
public record IdentityFacts(List<String> hosts, String urlDatabase, String database, String environmentMarker,
                            String sessionMarker, boolean inRecovery, String role, List<String> rolePowers) {
    public IdentityFacts {
        hosts = List.copyOf(hosts);
        rolePowers = List.copyOf(rolePowers);
    }

    /** A least-privileged role on a database that sets its marker itself. */
    public IdentityFacts(List<String> hosts, String database, String environmentMarker, boolean inRecovery) {
        this(hosts, database, database, environmentMarker, environmentMarker, inRecovery, "app", List.of());
    }
}
