package dev.safemigrate.cli;

import java.util.List;
import java.util.Set;

import dev.safemigrate.config.Config;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.tools.PolicySummary;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.StatusTool;
import dev.safemigrate.tools.ToolException;
import dev.safemigrate.tools.ToolResult;

/** {@code safemigrate status}: the status tool's answer, for a person. */
public final class StatusCommand implements Command {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "which database this is, proven; migrations, validation, schemas, last backup, policy";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate status [--config PATH]

                Shows what the agent's status tool sees: the database safemigrate is configured for and whether it is
                proven to be the development database, every migration and its state, Flyway validation problems,
                schemas with their table counts, the last backup and the active policy.

                Exit status: 0 when the database answered (even if it is not a development database),
                1 when it cannot be reached.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments.parse(args, Set.of(), Set.of());
        Config config = ctx.config();
        try (Project project = Project.open(config)) {
            ToolResult result = new StatusTool(project).call(new StatusTool.Input());
            if (result.structured() instanceof ToolException.ErrorOutput e) {
                ctx.err().println("safemigrate status: " + e.error().code() + ": " + e.error().message());
                ctx.err().println("Fix: " + e.error().hint());
                return 1;
            }
            ctx.out().print(render((StatusTool.Output) result.structured()));
            return 0;
        }
    }

    static String render(StatusTool.Output o) {
        StringBuilder sb = new StringBuilder(IdentityText.of(o.database())).append('\n');
        StatusTool.Summary s = o.summary();
        sb.append("Migrations   ").append(s.applied()).append(" applied, ").append(s.pending()).append(" pending, ")
                .append(s.failed()).append(" failed").append(s.other() > 0 ? ", " + s.other() + " other" : "")
                .append("  (").append(o.migrationsDir()).append(")\n");
        for (StatusTool.Migration m : o.migrations()) {
            sb.append("  ").append(pad(m.version(), 16)).append(pad(m.state().id(), 9)).append(m.description())
                    .append(m.installedOn() == null ? "" : "  (" + m.installedOn() + ")").append('\n');
        }
        if (o.validation().valid()) {
            sb.append("Validation   ok\n");
        } else {
            sb.append("Validation   PROBLEMS\n");
            o.validation().problems().forEach(p -> sb.append("  - ").append(p).append('\n'));
        }
        sb.append("Schemas\n");
        for (SchemaCatalog.SchemaSummary schema : o.schemas()) {
            sb.append("  ").append(pad(schema.name(), 24)).append(schema.tables()).append(" tables, ").append(schema.views())
                    .append(" views").append(schema.inSearchPath() ? "" : "  (not in search_path)").append('\n');
        }
        sb.append("Last backup  ").append(o.lastBackup() == null ? "none" : o.lastBackup().file() + " at "
                + o.lastBackup().createdAt() + ", " + o.lastBackup().totalRows() + " rows").append('\n');
        PolicySummary p = o.policy();
        sb.append("Policy       allow_hosts ").append(p.allowHosts()).append(", deny_patterns ").append(p.denyPatterns())
                .append(p.expectDatabase() == null ? "" : ", expect_database " + p.expectDatabase()).append('\n')
                .append("             destructive = ").append(p.destructive()).append(", backup_before_apply = ")
                .append(p.backupBeforeApply()).append(", lock_timeout = ").append(p.lockTimeout())
                .append(", statement_timeout = ").append(p.statementTimeout()).append('\n')
                .append("Config       ").append(p.configFile() == null ? "none: embedded PostgreSQL default" : p.configFile())
                .append('\n');
        return sb.toString();
    }

    private static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
    }
}
