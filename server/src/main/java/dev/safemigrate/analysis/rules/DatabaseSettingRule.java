package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/**
 * block: database-level settings that change who every later session is, or what it resolves.
 * {@code role} and {@code session_authorization} switch the identity of every connection;
 * {@code search_path} lets a schema shadow pg_catalog and spoof what the identity proof reads;
 * {@code default_transaction_read_only} turns a guard on or off; {@code RESET ALL} removes them all
 * (safemigrate.* markers are the safemigrate-setting rule's).
 */
public final class DatabaseSettingRule implements Rule {

    private static final Set<String> SETTINGS = Set.of("role", "session_authorization", "search_path",
            "default_transaction_read_only", "all");

    public List<String> ids() {
        return List.of("database-setting");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("alter_database")) {
            return List.of();
        }
        List<String> touched = s.reading().actions().stream()
                .filter(a -> a.startsWith("set:") || a.startsWith("reset:"))
                .map(a -> a.substring(a.indexOf(':') + 1).toLowerCase(Locale.ROOT))
                .filter(SETTINGS::contains).sorted().toList();
        if (touched.isEmpty()) {
            return List.of();
        }
        return List.of(s.finding("database-setting", Severity.BLOCK,
                "ALTER DATABASE … SET/RESET " + String.join(", ", touched).toUpperCase(Locale.ROOT)
                        + " changes who every later session is or what it resolves, the sessions safemigrate itself "
                        + "uses to prove which database this is included.",
                "Set it per transaction where a migration needs it: SET LOCAL search_path TO app, public;"));
    }
}
