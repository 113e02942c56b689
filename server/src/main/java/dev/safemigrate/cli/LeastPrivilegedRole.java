package dev.safemigrate.cli;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DatabaseHandover;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.policy.DevDatabasePolicy;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ProvenConnection;
import dev.safemigrate.tools.ToolException;

/**
 * {@code mark-dev --create-role NAME}: a person, connected once as an administrator, creates the
 * role safemigrate should connect as: LOGIN, no power beyond the development database, owner of
 * that database, its schemas and the objects in them (so it can migrate them), which is then
 * marked dev. PostgreSQL then refuses, on its own, what a migration might reach for beyond it.
 */
final class LeastPrivilegedRole {

    static final String PASSWORD_VARIABLE = "SAFEMIGRATE_DEV_PASSWORD";
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private LeastPrivilegedRole() {}

    /** @param admin the administrator login: [dev] user, or --admin-user with the password typed at the terminal */
    static int create(Project project, String role, ConnectionSettings admin, CommandContext ctx) throws ToolException {
        if (!ROLE_NAME.matcher(role).matches() || role.startsWith("pg_")) {
            ctx.err().println("safemigrate mark-dev: '" + role + "' is not a plain role name: use lowercase letters, "
                    + "digits and _ (not starting with pg_), e.g. app_dev.");
            return 1;
        }
        if (project.config().dev().embedded()) {
            ctx.err().println("safemigrate mark-dev: the embedded database already connects as its own least-privileged "
                    + "role; --create-role is for a database configured with [dev] url.");
            return 1;
        }
        try (ProvenConnection db = ProvenConnection.openAsAdministrator(project, admin)) {
            DatabaseIdentity d = db.identity();
            ctx.out().print(IdentityText.of(d));
            if (!d.verified()) {
                ctx.err().println("safemigrate mark-dev: refusing: this is not proven to be the development database: "
                        + String.join("; ", d.problems()) + ".");
                return 1;
            }
            String answer = ctx.terminal().readLine("Create role " + role + " (LOGIN, no other power) with a generated "
                    + "password, make it the owner of " + d.name() + ", its schemas and the objects in them, and mark "
                    + d.name() + " as the development database?\n[y/N] ");
            if (answer == null || !Set.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                ctx.out().println("Nothing changed.");
                return 1;
            }
            String password = generatePassword();
            try {
                setUp(db.connection(), role, password);
            } catch (SQLException e) {
                ctx.err().println("safemigrate mark-dev: setting up role " + role + " failed, nothing was changed: "
                        + e.getMessage() + ". Run it as a superuser or as the database owner with CREATEROLE "
                        + "(--admin-user NAME).");
                return 1;
            }
            // the generated password is never part of the line: the role, what it owns and who made it
            new CommandAudit(project.config(), ctx, "mark-dev", Map.of("create_role", role)).changed(d,
                    Map.of("role_created", role, "owner_of", d.name(), "marked", DevDatabasePolicy.DEV_MARKER,
                            "as", admin.user() == null ? "" : admin.user()));
            return confirm(project, admin.as(role, password), role, password, ctx);
        }
    }

    /** One transaction: a failure halfway leaves no role and no change of owner behind. */
    private static void setUp(Connection c, String role, String password) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_catalog.pg_roles where rolname = ?")) {
                exists.setString(1, role);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        throw new SQLException("role " + role + " already exists; choose another name");
                    }
                }
            }
            String quoted = SchemaCatalog.quoteIdent(role);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + quoted + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            }
            // hashed by the driver: the password itself never travels in SQL text a server log could keep
            c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
            DatabaseHandover.handOver(c, role);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_catalog.current_database()")) {
                rs.next();
                s.execute("ALTER DATABASE " + SchemaCatalog.quoteIdent(rs.getString(1))
                        + " SET safemigrate.environment = '" + DevDatabasePolicy.DEV_MARKER + "'");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** A fresh session as the new role proves it: verified, and least-privileged. */
    private static int confirm(Project project, ConnectionSettings asRole, String role, String password,
                               CommandContext ctx) throws ToolException {
        try (ProvenConnection db = ProvenConnection.open(project, asRole)) {
            DatabaseIdentity d = db.identity();
            if (!d.verified() || !db.leastPrivileged()) {
                ctx.err().println("safemigrate mark-dev: role " + role + " was created, but connecting as it is not "
                        + "verified: " + String.join("; ", d.problems()));
                return 1;
            }
        }
        ctx.out().println(String.join("\n", List.of(
                "Created role " + role + ": owner of the development database, no power beyond it. Marked dev.",
                "",
                "Put these lines under [dev] in safemigrate.toml:",
                "  user = \"" + role + "\"",
                "  password = \"${env:" + PASSWORD_VARIABLE + "}\"      # or \"${dotenv:.env.local:" + PASSWORD_VARIABLE + "}\"",
                "",
                "and keep the password where that reference finds it. It is shown only this once:",
                "  " + PASSWORD_VARIABLE + "=" + password,
                "",
                "Then approve the changed settings, at a terminal: safemigrate trust"))); // stdout-ok
        return 0;
    }

    private static String generatePassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
