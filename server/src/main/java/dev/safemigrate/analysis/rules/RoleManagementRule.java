package dev.safemigrate.analysis.rules;

import java.util.List;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** block: roles decide who may do what on the whole cluster; they are a person's decision, not a migration's. */
public final class RoleManagementRule implements Rule {

    private static final Set<String> KINDS = Set.of("create_role", "create_user", "create_group", "alter_role",
            "alter_user", "alter_group", "drop_role", "drop_user", "drop_group", "reassign_owned", "drop_owned");

    public List<String> ids() {
        return List.of("role-management");
    }

    public List<Finding> check(StatementContext s) {
        if (!KINDS.contains(s.kind()) && !s.has("grant_role") && !s.has("revoke_role")) {
            return List.of();
        }
        return List.of(s.finding("role-management", Severity.BLOCK,
                "Creating, changing or granting roles changes who can do what on the whole server; a migration must not.",
                "Ask a database administrator to manage roles; in the migration grant privileges on objects only: "
                        + "GRANT SELECT ON app.orders TO app_reader;"));
    }
}
