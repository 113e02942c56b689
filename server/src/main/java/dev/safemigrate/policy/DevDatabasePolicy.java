package dev.safemigrate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.safemigrate.config.Config;

/**
 * Decides whether a database is proven to be the development database. Every reason it is not
 * is listed, each naming the setting or command that would change the answer: an agent told
 * only "refused" retries blindly; one told why can stop and ask its person.
 */
public final class DevDatabasePolicy {

    public static final String DEV_MARKER = "dev";

    private final Config.Policy policy;
    private final String expectDatabase;

    public DevDatabasePolicy(Config.Policy policy, String expectDatabase) {
        this.policy = policy;
        this.expectDatabase = expectDatabase;
    }

    /** @return the reasons writes are refused; empty means this is the development database */
    public List<String> problems(IdentityFacts facts) {
        List<String> problems = new ArrayList<>();
        for (String host : facts.hosts()) {
            String h = normalizeHost(host);
            if (!policy.allowHosts().contains(h)) {
                problems.add("host '" + host + "' is not in policy.allow_hosts " + policy.allowHosts());
            }
            deniedBy(h).ifPresent(p -> problems.add("host '" + host + "' matches policy.deny_patterns entry '" + p + "'"));
        }
        String db = facts.database() == null ? "" : facts.database();
        deniedBy(db.toLowerCase(Locale.ROOT)).ifPresent(p ->
                problems.add("database name '" + db + "' matches policy.deny_patterns entry '" + p + "'"));
        if (expectDatabase != null && !expectDatabase.equals(db)) {
            problems.add("connected to database '" + db + "' but dev.expect_database is '" + expectDatabase + "'");
        }
        String urlDb = facts.urlDatabase() == null ? "" : facts.urlDatabase();
        if (!urlDb.isEmpty() && !urlDb.equals(db)) {
            problems.add("dev.url names database '" + urlDb + "' but the server says it is '" + db
                    + "'; backups and restores use the configured name, so both must be the same database");
        }
        if (facts.environmentMarker() != null && !DEV_MARKER.equals(facts.environmentMarker())) {
            problems.add("database '" + db + "' is marked safemigrate.environment = '" + facts.environmentMarker()
                    + "'; only 'dev' (or no marker) may be written");
        }
        if (facts.sessionMarker() != null && !DEV_MARKER.equals(facts.sessionMarker())
                && !facts.sessionMarker().equals(facts.environmentMarker())) {
            problems.add("this connection sees safemigrate.environment = '" + facts.sessionMarker() + "' (set for role '"
                    + facts.role() + "' or in dev.url); only 'dev' (or no marker) may be written");
        }
        if (!facts.rolePowers().isEmpty() && !policy.allowPrivilegedRole()) {
            problems.add("role '" + facts.role() + "' holds powers beyond its own database ("
                    + String.join(", ", facts.rolePowers()) + "), so a migration could reach other databases, server "
                    + "files or programs; connect as a least-privileged role (a person creates one with `safemigrate "
                    + "mark-dev --create-role NAME`), or set [policy] allow_privileged_role = true");
        }
        if (facts.inRecovery()) {
            problems.add("the server is a read-only replica (pg_is_in_recovery() is true)");
        }
        return problems;
    }

    /**
     * A pattern matches where it starts a word: "prod" refuses {@code shop_prod} and
     * {@code production} but not {@code reproduce}, and "live" does not refuse {@code delivery}.
     */
    private Optional<String> deniedBy(String name) {
        for (String pattern : policy.denyPatterns()) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (Pattern.compile("(?<![a-z])" + Pattern.quote(p)).matcher(name).find()) {
                return Optional.of(pattern);
            }
        }
        return Optional.empty();
    }

    private static String normalizeHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }

    /** The hint every NOT_DEV_DATABASE refusal carries. */
    public static String hint() {
        return "This is not proven to be the development database, so nothing was changed. Do not work around it: "
                + "show these problems to your user. A person can point [dev] in safemigrate.toml at the development "
                + "database, adjust [policy], mark a dev database with `safemigrate mark-dev`, or create a least-privileged "
                + "role for it with `safemigrate mark-dev --create-role NAME`.";
    }
}
