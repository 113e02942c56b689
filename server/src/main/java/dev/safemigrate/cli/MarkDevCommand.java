package dev.safemigrate.cli;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DatabaseUnavailableException;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.policy.DevDatabasePolicy;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ProvenConnection;
import dev.safemigrate.tools.ToolException;

/**
 * {@code safemigrate mark-dev}: a person marks the configured database as the development
 * database. Only a database the policy already accepts may be marked: the marker adds proof, it
 * never overrides a host, name or replica problem, and never turns {@code production} into dev.
 */
public final class MarkDevCommand implements Command {

    @Override
    public String name() {
        return "mark-dev";
    }

    @Override
    public String summary() {
        return "mark the configured database as the development database (a person, at a terminal)";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate mark-dev [--config PATH]
                       safemigrate mark-dev --create-role NAME [--admin-user USER] [--config PATH]

                Shows which database [dev] in safemigrate.toml reaches, asks you to confirm, then runs
                  ALTER DATABASE <name> SET safemigrate.environment = 'dev'
                so that the database itself says it is a development database. Then, as `safemigrate trust` does, it
                shows the settings safemigrate's writes are held to and asks you to approve them, unless you already did.

                Refuses when stdin is not a terminal (an agent cannot run it), and refuses a database that is
                not proven to be the development database: a host outside allow_hosts, a name matching
                deny_patterns, a name other than expect_database, a read-only replica, or a marker with another
                value such as 'production'. A database marked otherwise stays that way: change it by hand if you
                are sure.

                Needs a superuser (PostgreSQL 15 lets only a superuser, or a role granted SET on the parameter,
                set it): [dev] user, or --admin-user USER, whose password it asks for (never an argument). The
                database must pass every other check; the administrator's own powers are not held against it.

                --create-role NAME creates the role safemigrate should connect as: LOGIN with a generated password
                and no power beyond this database (not superuser, no CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS, no
                server files or programs). It becomes the owner of the database, its schemas and the objects in them
                (so it can migrate them), the database is marked dev, and the lines for safemigrate.toml are printed,
                the password shown once. It connects once as the administrator, as above.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of(), Set.of("--create-role", "--admin-user"));
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        if (!ctx.terminal().interactive()) {
            ctx.err().println(Terminal.refusal(name()));
            return 1;
        }
        try (Project project = Project.open(ctx.config())) {
            ConnectionSettings admin = administrator(project, a.option("--admin-user"), ctx);
            if (a.option("--create-role") != null) {
                return LeastPrivilegedRole.create(project, a.option("--create-role"), admin, ctx);
            }
            Integer refused = mark(project, admin, ctx);
            int marked = refused != null ? refused : confirmMarked(project, ctx);
            if (marked == 0) {
                // the person is at the terminal and has just seen the identity: the settings' approval belongs here
                TrustCommand.ask(project.config(), ctx);
            }
            return marked;
        } catch (DatabaseUnavailableException e) {
            ctx.err().println("safemigrate mark-dev: " + e.getMessage());
            return 1;
        } catch (ToolException e) {
            ctx.err().println("safemigrate mark-dev: " + e.error().message() + "\nFix: " + e.error().hint());
            return 1;
        }
    }

    /**
     * The login that changes the database: [dev] user from safemigrate.toml, or {@code --admin-user},
     * whose password is asked at the terminal, never taken as an argument ({@code ps} shows those).
     */
    private static ConnectionSettings administrator(Project project, String adminUser, CommandContext ctx)
            throws DatabaseUnavailableException {
        ConnectionSettings configured = project.database().settings();
        if (adminUser == null) {
            return configured;
        }
        String password = ctx.terminal().readSecret("Password for " + adminUser + " (empty for none): ");
        return configured.as(adminUser, password == null || password.isEmpty() ? null : password);
    }

    /**
     * @return null once the marker is set, else the exit code. The database must pass every check
     * but the connecting role's powers: setting the marker is an administrator's act (PostgreSQL 15
     * lets only a superuser, or a role granted SET on the parameter, set it).
     */
    private Integer mark(Project project, ConnectionSettings admin, CommandContext ctx) throws ToolException {
        try (ProvenConnection db = ProvenConnection.openAsAdministrator(project, admin)) {
            DatabaseIdentity d = db.identity();
            ctx.out().print(IdentityText.of(d));
            if (!d.verified()) {
                ctx.err().println("safemigrate mark-dev: refusing: this is not proven to be the development database: "
                        + String.join("; ", d.problems()) + ". Point [dev] in safemigrate.toml at the development "
                        + "database, or fix [policy]; a marker never overrides these problems.");
                return 1;
            }
            if (DevDatabasePolicy.DEV_MARKER.equals(d.environment())) {
                ctx.out().println("Already marked: safemigrate.environment = 'dev'. Nothing to do.");
                return 0;
            }
            String sql = "ALTER DATABASE " + SchemaCatalog.quoteIdent(d.name()) + " SET safemigrate.environment = 'dev'";
            String answer = ctx.terminal().readLine("Mark " + d.name() + " on " + d.host() + ":" + d.port()
                    + " as the development database?\n  " + sql + "\n[y/N] ");
            if (answer == null || !Set.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                ctx.out().println("Nothing changed.");
                return 1;
            }
            try (Statement s = db.connection().createStatement()) {
                s.execute(sql);
                new CommandAudit(project.config(), ctx, name(), Map.of()).changed(d,
                        Map.of("marked", DevDatabasePolicy.DEV_MARKER, "as", admin.user() == null ? "" : admin.user()));
            } catch (SQLException e) {
                ctx.err().println("safemigrate mark-dev: " + sql + " failed: " + e.getMessage() + ". Only a superuser "
                        + "(or a role granted SET on parameter safemigrate.environment) may set it: run mark-dev "
                        + "--admin-user NAME as one.");
                return 1;
            }
            return null;
        }
    }

    /** The setting applies to new sessions only: a fresh connection proves it took. */
    private static int confirmMarked(Project project, CommandContext ctx) throws ToolException {
        try (ProvenConnection db = ProvenConnection.open(project)) {
            if (!DevDatabasePolicy.DEV_MARKER.equals(db.identity().environment())) {
                ctx.err().println("safemigrate mark-dev: the marker was set but a new session does not see it "
                        + "(environment: " + db.identity().environment() + "); look for an ALTER ROLE … SET that overrides it.");
                return 1;
            }
            ctx.out().println("Marked " + db.identity().name() + ": safemigrate.environment = 'dev'.");
            return 0;
        }
    }
}
