package dev.safemigrate.cli;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.migrations.PrismaMigrations;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.MigrationSnapshot.SnapshotFile;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ProvenConnection;
import dev.safemigrate.tools.ToolException;

/**
 * {@code safemigrate baseline}: a person adopts an existing database. It records in a new
 * {@code flyway_schema_history} that the schema already is what the migration files up to one
 * version create, so those never run here and the later ones are pending. Only a person may say
 * so: a wrong baseline silently skips migrations, so the agent has no tool for it.
 */
public final class BaselineCommand implements Command {

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String summary() {
        return "adopt an existing database: record which migrations it already has (a person, at a terminal)";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate baseline [--version V | --from-prisma] [--config PATH]

                For a development database that already has tables but no Flyway history
                (flyway_schema_history), typically one created before safemigrate, by hand or by another tool.
                Shows which database [dev] in safemigrate.toml reaches, which migration files the baseline
                covers (they will never run on this database) and which stay pending, asks you to confirm, then
                records a Flyway baseline at that version.

                By default the baseline is the highest version in the migrations folder: confirm only if those
                files together create exactly the schema the database has now. With no migration files, the
                baseline is version 0: everything you add later is pending.

                options:
                  --version V     the version the schema is at; files up to V are covered, later ones pending
                  --from-prisma   cover exactly the migrations Prisma recorded as finished in _prisma_migrations,
                                  after checking each imported file's sha256 against the checksum Prisma recorded
                                  (import them first with: safemigrate init --import-prisma). Refuses on any
                                  mismatch, on a failed or rolled-back Prisma migration, and when the finished ones
                                  are not the first files of the folder in order.

                Refuses when stdin is not a terminal (an agent cannot run it), on a database that is not proven
                to be the development database, and when a Flyway history already exists.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of("--from-prisma"), Set.of("--version"));
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        if (a.has("--from-prisma") && a.option("--version") != null) {
            throw new UsageException("--version and --from-prisma exclude each other: Prisma's history decides the version");
        }
        if (!ctx.terminal().interactive()) {
            ctx.err().println(Terminal.refusal(name()));
            return 1;
        }
        if (ctx.config().migrations().layout() == dev.safemigrate.config.Config.Layout.PRISMA) {
            return refuse(ctx, "safemigrate.toml's [migrations] layout is \"prisma\": _prisma_migrations is this "
                    + "database's history, and a database Prisma migrated needs no baseline. To baseline one Prisma did "
                    + "not migrate, use Prisma's own: prisma migrate resolve --applied <migration> for each migration the "
                    + "schema already has (https://pris.ly/d/migrate-baseline).");
        }
        try (Project project = Project.open(ctx.config()); ProvenConnection db = ProvenConnection.open(project)) {
            DatabaseIdentity d = db.identity();
            ctx.out().print(IdentityText.of(d));
            if (!d.verified()) {
                return refuse(ctx, "this is not proven to be the development database: " + String.join("; ", d.problems())
                        + ". Point [dev] in safemigrate.toml at the development database (safemigrate mark-dev marks it).");
            }
            String schema = SchemaHistory.locate(db.connection(), db.observed().searchPathSchemas(), SchemaHistory.FLYWAY)
                    .missing();
            if (schema == null) {
                return refuse(ctx, "this database already has a Flyway history (flyway_schema_history): it is adopted. "
                        + "A baseline is only for a database without one; call status to see its migrations.");
            }
            MigrationSnapshot snapshot = project.migrations().snapshot();
            if (!snapshot.strays().isEmpty()) {
                List<String> strays = new ArrayList<>();
                snapshot.strays().forEach(s -> strays.add(project.relative(s.path()) + ": " + s.why()));
                return refuse(ctx, "the migrations folder holds files safemigrate will not run: " + String.join("; ", strays)
                        + ". Remove or rename them first, so that the baseline is decided on the folder that will run.");
            }
            BaselinePlan plan = a.has("--from-prisma") ? BaselinePlan.fromPrisma(snapshot, prismaRows(db.connection()))
                    : a.option("--version") != null ? BaselinePlan.at(snapshot, a.option("--version"))
                    : BaselinePlan.highest(snapshot);
            ctx.out().print(describe(project, schema, plan));
            String answer = ctx.terminal().readLine("Record this baseline in " + d.name() + "? [y/N] ");
            if (answer == null || !Set.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                ctx.out().println("Nothing changed.");
                return 1;
            }
            Map<String, Object> arguments = new LinkedHashMap<>();
            arguments.put("from_prisma", a.has("--from-prisma"));
            arguments.put("version", a.option("--version"));
            arguments.values().removeIf(java.util.Objects::isNull);
            CommandAudit audit = new CommandAudit(project.config(), ctx, name(), arguments);
            String recorded;
            try {
                recorded = project.flyway(db.settings()).baseline(snapshot, plan.version(), plan.description());
            } catch (FlywayException e) {
                audit.failed(d, "BASELINE_FAILED", e.getMessage(), Map.of("schema", schema));
                throw e;
            }
            audit.changed(d, Map.of("version", recorded, "schema", schema, "covered", plan.covered().size(),
                    "pending", plan.pending().size()));
            ctx.out().println("Recorded a baseline at version " + recorded + " in " + schema + ".flyway_schema_history: "
                    + plan.covered().size() + " migration(s) covered, " + plan.pending().size()
                    + " pending. The agent can now call status and apply_to_dev.");
            return 0;
        } catch (BaselinePlan.Refused e) {
            return refuse(ctx, e.getMessage());
        } catch (ToolException e) {
            ctx.err().println("safemigrate baseline: " + e.error().message() + "\nFix: " + e.error().hint());
            return 1;
        } catch (FlywayException e) {
            return refuse(ctx, "Flyway did not record the baseline: " + e.getMessage());
        } catch (SQLException | IOException e) {
            ctx.err().println("safemigrate baseline: " + e.getMessage());
            return 1;
        }
    }

    private static int refuse(CommandContext ctx, String why) {
        ctx.err().println("safemigrate baseline: refusing: " + why);
        return 1;
    }

    private static String describe(Project project, String schema, BaselinePlan plan) {
        StringBuilder sb = new StringBuilder("\nWill create " + schema + ".flyway_schema_history with a baseline at version "
                + plan.version() + " (\"" + plan.description() + "\").\n");
        if (plan.covered().isEmpty()) {
            sb.append("It covers no migration file: the existing schema is taken as it is.\n");
        } else {
            sb.append("The existing schema is taken to be what these ").append(plan.covered().size())
                    .append(" migration(s) create; they will never run on this database:\n");
            plan.covered().forEach(f -> sb.append("  covered  ").append(line(project, f)).append('\n'));
        }
        if (plan.pending().isEmpty()) {
            sb.append("No migration stays pending.\n");
        } else {
            sb.append("These stay pending and run with apply_to_dev:\n");
            plan.pending().forEach(f -> sb.append("  pending  ").append(line(project, f)).append('\n'));
        }
        return sb.toString();
    }

    private static String line(Project project, SnapshotFile f) {
        return f.version().getVersion() + "  " + project.relative(f.path());
    }

    /** Prisma keeps its table in the schema of its connection URL: the one in the search path first, else the only one. */
    private static List<PrismaMigrations.Row> prismaRows(Connection c) throws SQLException, BaselinePlan.Refused {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select n.nspname, n.nspname = pg_catalog.current_schema()
                  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                 where c.relname = '_prisma_migrations' and c.relkind in ('r', 'p')
                 order by 2 desc, 1""");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(2)) {
                    return PrismaMigrations.read(c, rs.getString(1));
                }
                schemas.add(rs.getString(1));
            }
        }
        if (schemas.size() != 1) {
            throw new BaselinePlan.Refused(schemas.isEmpty()
                    ? "this database has no _prisma_migrations table: Prisma has not migrated it. Run safemigrate baseline "
                            + "without --from-prisma."
                    : "_prisma_migrations exists in several schemas (" + String.join(", ", schemas) + ") and none is the "
                            + "current schema: set [dev] url's currentSchema to the one Prisma uses.");
        }
        return PrismaMigrations.read(c, schemas.get(0));
    }
}
