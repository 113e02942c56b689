package dev.safemigrate.mcp;

import java.util.List;

import dev.safemigrate.tools.ApplyToDevTool;
import dev.safemigrate.tools.BackupTool;
import dev.safemigrate.tools.CreateMigrationTool;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.ShowSqlTool;
import dev.safemigrate.tools.StatusTool;

/**
 * The five tools, and deliberately nothing else: no push, deploy, reset, clean or repair.
 * The descriptions are written for the agent reading tools/list.
 */
final class ToolCatalog {

    private ToolCatalog() {}

    static List<ToolDefinition<?>> of(Project project) {
        StatusTool status = new StatusTool(project);
        CreateMigrationTool create = new CreateMigrationTool(project);
        ShowSqlTool show = new ShowSqlTool(project);
        ApplyToDevTool apply = new ApplyToDevTool(project);
        BackupTool backup = new BackupTool(project);
        return List.of(
                define("status", "Database and migration status",
                        "Start here. Which database this is, with proof (name, host, user, search_path, marker) and "
                                + "whether it is the verified development database; migrations in numbers, every one not "
                                + "applied in full and the last applied; drift (objects changed outside safemigrate since "
                                + "its last apply); validation problems; schemas with table counts; last backup; policy. "
                                + "Read-only. All migrations, page by page: {list: \"migrations\"}. Tables "
                                + "seem gone? Compare schemas with search_path here.",
                        true, false, true, StatusTool.Input.class, (in, context) -> status.call(in)),
                define("create_migration", "Write a new migration file",
                        "Writes a new migration V<version>__<name>.sql (in a Prisma project <timestamp>_<name>/migration.sql) from your "
                                + "SQL after analysing every statement. "
                                + "'name' is a slug [a-z0-9_]{1,60}; the server picks folder and version. Never-allowed "
                                + "statements are refused (SQL_REJECTED) and nothing is written. Never overwrites; "
                                + "'replaces' revises a pending migration (applied ones are immutable). No database "
                                + "access. At most 16 MiB per call. Split big changes into several migrations.",
                        false, false, false, CreateMigrationTool.Input.class, (in, context) -> create.call(in)),
                define("show_sql", "Review migration SQL",
                        "The SQL of one migration ('version') or of all pending ones, with its safety analysis: "
                                + "kind, lock, rewrite, findings with rule, severity, line and a safer alternative. Show "
                                + "confirm and warn findings to your user. Read-only. Long answers are summaries; "
                                + "{list: \"findings\"|\"statements\"|\"migrations\", severity?, offset?, limit?} pages them.",
                        true, false, true, ShowSqlTool.Input.class, (in, context) -> show.call(in)),
                define("apply_to_dev", "Dry-run or apply pending migrations to the development database",
                        "Applies pending migrations to the verified development database only. First call with "
                                + "dry_run: true: they run in a transaction that is rolled back, and you get success or "
                                + "the failing statement, locks, rewrites and what is at risk. Then call without dry_run "
                                + "to apply; CONFIRMATION_REQUIRED means: show at_risk (and drift, a schema changed "
                                + "outside safemigrate) to your user, pass confirm only after their yes. With dry_run, {list, version, offset, limit} pages the details "
                                + "that truncated names.",
                        false, true, false, ApplyToDevTool.Input.class, apply::call),
                define("backup", "Back up the development database",
                        "A complete pg_dump (custom format) of the development database into the backup folder, "
                                + "renamed into place only when complete: file, size, sha256, pg_dump version, exact "
                                + "row counts per table (as many as fit; truncated.how pages the rest). Take one before any "
                                + "destructive change.",
                        false, false, false, BackupTool.Input.class, (in, context) -> backup.call(in)));
    }

    private static <I> ToolDefinition<I> define(String name, String title, String description, boolean readOnly,
                                                boolean destructive, boolean idempotent, Class<I> inputType,
                                                java.util.function.BiFunction<I, dev.safemigrate.tools.CallContext, dev.safemigrate.tools.ToolResult> call) {
        return new ToolDefinition<>(name, title, description, readOnly, destructive, idempotent, inputType, call,
                ToolSchemas.input(name), ToolSchemas.output(name));
    }
}
