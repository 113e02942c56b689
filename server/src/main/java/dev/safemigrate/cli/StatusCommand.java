package dev.safemigrate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.safemigrate.config.Config;
import dev.safemigrate.config.PolicySettings;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.tools.PolicySummary;
import dev.safemigrate.tools.Project;
import dev.safemigrate.tools.StatusTool;
import dev.safemigrate.tools.ToolException;
import dev.safemigrate.tools.ToolResult;

/** {@code safemigrate status}: the status tool's answer, for a person. */
public final class StatusCommand implements Command {

    /** The largest page the tool gives: the fewest calls for a long history. */
    private static final int LIMIT = 200;

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
                schemas with their table counts, the last backup and the active policy. Where the agent gets an
                overview of a long history and pages the rest, this reads every page and shows it all.

                Exit status: 0 when the database answered (even if it is not a development database),
                1 when it cannot be reached.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments.parse(args, Set.of(), Set.of());
        Config config = ctx.config();
        try (Project project = Project.open(config)) {
            StatusTool tool = new StatusTool(project);
            ToolResult result = tool.call(new StatusTool.Input());
            if (failed(result, ctx)) {
                return 1;
            }
            StatusTool.Output overview = (StatusTool.Output) result.structured();
            if (overview.truncated() == null) {
                ctx.out().print(render(overview, null));
                return 0;
            }
            // the agent's overview fits its budget; a terminal shows every item, read page by page
            List<StatusTool.Migration> migrations = every(tool, StatusTool.ListName.MIGRATIONS,
                    StatusTool.ListPage::migrations, ctx);
            if (migrations == null) {
                return 1;
            }
            List<String> problems = every(tool, StatusTool.ListName.PROBLEMS, StatusTool.ListPage::problems, ctx);
            if (problems == null) {
                return 1;
            }
            List<SchemaCatalog.SchemaSummary> schemas = every(tool, StatusTool.ListName.SCHEMAS,
                    StatusTool.ListPage::schemas, ctx);
            if (schemas == null) {
                return 1;
            }
            List<String> drift = every(tool, StatusTool.ListName.DRIFT, StatusTool.ListPage::drift, ctx);
            if (drift == null) {
                return 1;
            }
            ctx.out().print(render(new StatusTool.Output(overview.next(), overview.summary(), null, overview.trust(), overview.drift(),
                    overview.database(), overview.migrationsDir(), migrations,
                    new StatusTool.Validation(overview.validation().valid(), problems), schemas, overview.lastBackup(),
                    overview.policy()), drift));
            return 0;
        }
    }

    /** @return every item of the list, page by page; null when a call failed (said on stderr) */
    private static <T> List<T> every(StatusTool tool, StatusTool.ListName list, Function<StatusTool.ListPage, List<T>> items,
                                     CommandContext ctx) {
        List<T> all = new ArrayList<>();
        int offset = 0;
        while (true) {
            ToolResult r = tool.call(new StatusTool.Input(list, offset, LIMIT, null));
            if (failed(r, ctx)) {
                return null;
            }
            StatusTool.ListPage page = (StatusTool.ListPage) r.structured();
            all.addAll(items.apply(page));
            if (page.truncated() == null || page.truncated().shown() == 0) {
                return all;
            }
            offset = page.offset() + page.truncated().shown();
        }
    }

    private static String drift(dev.safemigrate.tools.Drift.View d, List<String> every) {
        if (d == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Drift        ");
        switch (d.state()) {
            case NONE -> sb.append("none since ").append(d.since()).append(" (the record after the last apply)\n");
            case NO_BASELINE -> sb.append(d.note()).append('\n');
            case CHANGED -> {
                sb.append("CHANGED outside safemigrate since ").append(d.since()).append(": ").append(d.counts().created())
                        .append(" created, ").append(d.counts().dropped()).append(" dropped, ").append(d.counts().altered())
                        .append(" altered; likely cause: ").append(d.likelyCause()).append('\n');
                List<String> names = new ArrayList<>();
                if (every != null) {
                    names.addAll(every);
                } else {
                    d.created().forEach(n -> names.add("created " + n));
                    d.dropped().forEach(n -> names.add("dropped " + n));
                    d.altered().forEach(n -> names.add("altered " + n));
                }
                names.forEach(n -> sb.append("  ").append(n).append('\n'));
            }
        }
        return sb.toString();
    }

    private static boolean failed(ToolResult result, CommandContext ctx) {
        if (result.structured() instanceof ToolException.ErrorOutput e) {
            ctx.err().println("safemigrate status: " + e.error().code() + ": " + e.error().message());
            ctx.err().println("Fix: " + e.error().hint());
            return true;
        }
        return false;
    }

    /** @param drift every name the drift list holds; null when the overview showed them all */
    static String render(StatusTool.Output o, List<String> drift) {
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
        sb.append(drift(o.drift(), drift));
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
        sb.append("Approved     ").append(trust(o.trust())).append('\n');
        return sb.toString();
    }

    private static String trust(StatusTool.Trust t) {
        String changed = t.changed() == null ? "" : "; not approved: " + String.join(", ", t.changed());
        // the note can quote the file, which the agent may have written: no escape sequence reaches the terminal
        String note = t.note() == null ? "" : " (" + PolicySettings.printable(t.note()) + ")";
        String by = t.approvedBy() == null ? null : PolicySettings.printable(t.approvedBy());
        return switch (t.state()) {
            case "trusted" -> "yes, by " + by + " at " + t.approvedAt();
            case "not_needed" -> "not needed: the built-in defaults";
            case "never_trusted" -> "NO: never approved" + changed + note + "; apply_to_dev and backup refuse until: "
                    + t.command();
            default -> "NO: changed since " + by + " approved at " + t.approvedAt() + changed + note
                    + "; apply_to_dev and backup refuse until: " + t.command();
        };
    }

    private static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
    }
}
