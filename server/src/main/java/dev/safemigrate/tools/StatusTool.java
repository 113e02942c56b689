package dev.safemigrate.tools;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.migrations.FlywayEngine;
import dev.safemigrate.migrations.MigrationState;

/**
 * status: where the agent is, proven, and what state the migrations are in. Answers on any
 * database, dev or not: seeing why a database is refused is exactly what status is for.
 */
public final class StatusTool {

    public record Input() {}

    public record Output(DatabaseIdentity database, String migrationsDir, Summary summary, List<Migration> migrations,
                         Validation validation, List<SchemaCatalog.SchemaSummary> schemas, LastBackup lastBackup,
                         PolicySummary policy) {}

    public record Summary(int applied, int pending, int failed, int other) {}

    public record Migration(String version, String description, String type, String state, Integer checksum,
                            Instant installedOn, Integer executionMs) {}

    public record Validation(boolean valid, List<String> problems) {}

    public record LastBackup(String file, String createdAt, long bytes, String sha256, long totalRows) {}

    private final Project project;

    public StatusTool(Project project) {
        this.project = project;
    }

    public ToolResult call(Input input) {
        try (ProvenConnection db = ProvenConnection.open(project)) {
            FlywayEngine flyway = project.flyway(db.settings);
            List<Migration> migrations = new ArrayList<>();
            List<String> problems;
            try {
                for (MigrationState m : flyway.info()) {
                    migrations.add(new Migration(m.version(), m.description(), m.type(), m.state(), m.checksum(),
                            m.installedOn(), m.executionMs()));
                }
                problems = new ArrayList<>(flyway.validate());
            } catch (FlywayException e) {
                problems = new ArrayList<>(List.of("Flyway could not read the migrations: " + e.getMessage()));
            }
            for (java.nio.file.Path other : project.migrations().otherSqlFiles()) {
                problems.add(project.relative(other) + " is not a versioned migration (V<version>__<name>.sql); "
                        + "apply_to_dev refuses to run while it is in the folder");
            }
            Output out = new Output(db.identity, project.relative(project.migrations().dir()),
                    summarize(migrations), migrations, new Validation(problems.isEmpty(), problems),
                    SchemaCatalog.schemas(db.connection, db.observed.searchPathSchemas()), lastBackup(), PolicySummary.of(project.config()));
            return ToolResult.ok(out, text(out));
        } catch (ToolException e) {
            return e.toResult();
        } catch (SQLException | IOException e) {
            return new ToolException(ToolError.DATABASE_UNREACHABLE, "status could not read the database: " + e.getMessage(),
                    "Check that the database is running, then call status again.").toResult();
        }
    }

    private static Summary summarize(List<Migration> migrations) {
        int applied = 0, pending = 0, failed = 0, other = 0;
        for (Migration m : migrations) {
            switch (m.state()) {
                case "applied" -> applied++;
                case "pending" -> pending++;
                case "failed" -> failed++;
                default -> other++;
            }
        }
        return new Summary(applied, pending, failed, other);
    }

    private LastBackup lastBackup() throws IOException {
        return project.backups().newest()
                .map(m -> new LastBackup(m.file(), m.createdAt(), m.bytes(), m.sha256(), m.totalRows()))
                .orElse(null);
    }

    private static String text(Output o) {
        DatabaseIdentity d = o.database();
        StringBuilder sb = new StringBuilder();
        sb.append("Database ").append(d.name()).append(" on ").append(d.host()).append(':').append(d.port())
                .append(" as ").append(d.user()).append(" (PostgreSQL ").append(d.serverVersion())
                .append(d.serverAddress() == null ? "" : ", server address " + d.serverAddress()).append(")");
        sb.append(d.verified() ? " — verified development database.\n" : " — NOT writable: " + String.join("; ", d.problems()) + "\n");
        sb.append("Migrations: ").append(o.summary().applied()).append(" applied, ").append(o.summary().pending())
                .append(" pending, ").append(o.summary().failed()).append(" failed.\n");
        if (!o.validation().valid()) {
            sb.append("Validation problems: ").append(String.join("; ", o.validation().problems())).append('\n');
        }
        sb.append("Schemas: ");
        for (SchemaCatalog.SchemaSummary s : o.schemas()) {
            sb.append(s.name()).append(" (").append(s.tables()).append(" tables").append(s.inSearchPath() ? "" : ", not in search_path")
                    .append(") ");
        }
        sb.append("\nsearch_path: ").append(d.searchPath());
        sb.append(o.lastBackup() == null ? "\nNo backup yet." : "\nLast backup: " + o.lastBackup().file() + " at " + o.lastBackup().createdAt());
        return sb.toString();
    }
}
