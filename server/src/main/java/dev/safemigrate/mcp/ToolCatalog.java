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
                        "Start here. Shows which database this server is connected to, with proof (name, host, user, "
                                + "search_path, environment marker) and whether it is verified as the development database; "
                                + "the next step; counts of migrations per state, every migration not applied (pending, failed, "
                                + "missing, outdated, future, ignored) and the last 5 applied; Flyway validation problems; "
                                + "schemas with their table counts; the last backup; the active policy. A long list is cut to "
                                + "fit and truncated.how is the call that pages the rest (list: migrations, problems, schemas, "
                                + "backup_tables). Read-only. If tables seem to have vanished, compare schemas with search_path here.",
                        true, false, true, StatusTool.Input.class, (in, context) -> status.call(in)),
                define("create_migration", "Write a new migration file",
                        "Writes a new versioned Flyway migration V<version>__<name>.sql from the SQL you give, after "
                                + "analysing every statement. 'name' is a slug [a-z0-9_]{1,60} (never a path); the server "
                                + "chooses folder and version. Statements that are never allowed (roles, DROP DATABASE, "
                                + "server files, transaction control, …) are refused with SQL_REJECTED and nothing is written. "
                                + "Never overwrites a file. To revise a migration that is still pending, pass 'replaces' with "
                                + "its version; applied migrations are immutable: write a new migration instead. Does not "
                                + "touch the database. One call is limited to 16 MiB (the MCP message limit): a larger "
                                + "request is refused with a JSON-RPC error and nothing is written. Split a big change into "
                                + "several migrations (one per table, or per batch of rows) instead.",
                        false, false, false, CreateMigrationTool.Input.class, (in, context) -> create.call(in)),
                define("show_sql", "Review migration SQL",
                        "Shows the SQL of one migration ('version') or of every pending migration ('pending': true, the "
                                + "default) with its safety analysis per statement: kind, lock taken, table rewrite, whether "
                                + "it can run in a transaction, and findings with rule, severity, line and a safer alternative. "
                                + "Show the findings to your user before applying. Read-only.",
                        true, false, true, ShowSqlTool.Input.class, (in, context) -> show.call(in)),
                define("apply_to_dev", "Dry-run or apply pending migrations to the development database",
                        "Applies pending migrations to the configured development database only, after proving its "
                                + "identity and validating with Flyway. Call first with dry_run: true: the migrations run inside "
                                + "one transaction that is rolled back, and you get success or the failing statement with its "
                                + "line and PostgreSQL error, and rows affected. Without dry_run the migrations are applied "
                                + "for real. 'target_version' stops at that version. Refuses (NOT_DEV_DATABASE) on any database "
                                + "not proven to be development; there is no way to reach another database.",
                        false, true, false, ApplyToDevTool.Input.class, apply::call),
                define("backup", "Back up the development database",
                        "Takes a complete pg_dump (custom format) of the development database into the backup folder, "
                                + "written under a temporary name and renamed only when complete. Returns the file, size, "
                                + "sha256, pg_dump version and exact row counts per table from the same snapshot (as many "
                                + "tables as fit; truncated.how pages the rest). Take one before any destructive change. Keeps "
                                + "the newest backups as configured.",
                        false, false, false, BackupTool.Input.class, (in, context) -> backup.call(in)));
    }

    private static <I> ToolDefinition<I> define(String name, String title, String description, boolean readOnly,
                                                boolean destructive, boolean idempotent, Class<I> inputType,
                                                java.util.function.BiFunction<I, dev.safemigrate.tools.CallContext, dev.safemigrate.tools.ToolResult> call) {
        return new ToolDefinition<>(name, title, description, readOnly, destructive, idempotent, inputType, call,
                ToolSchemas.input(name), ToolSchemas.output(name));
    }
}
