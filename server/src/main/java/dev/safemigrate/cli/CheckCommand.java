package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.analysis.CatalogFacts;
import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.config.Config;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.tools.AnalysisBasis;
import dev.safemigrate.tools.CatalogAwareness;
import dev.safemigrate.tools.Project;

/**
 * {@code safemigrate check}: the analysis the agent's tools give, for CI. It needs no database
 * and no terminal; given {@code --config} and a reachable, proven development database it adds
 * what that database's catalog knows.
 */
public final class CheckCommand implements Command {

    /** The rule id of an entry in the migrations folder that safemigrate refuses to run beside the migrations. */
    static final String STRAY_RULE = "stray-file";

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** One file's result; a stray has no analysis. */
    record FileResult(String path, AnalysisBasis analysis, List<Finding> findings) {}

    record Report(String migrationsDir, String since, String failOn, boolean failed, Map<String, Integer> counts,
                  List<FileResult> files) {}

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "analyse the migration files (all, or changed since a git ref) for CI; exit 1 on findings";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate check [--since GIT-REF] [--format text|json|github] [--fail-on SEVERITY] [--config PATH]

                Analyses the migration files as create_migration and show_sql do, and reports every finding with its
                file and line. Anything else in the migrations folder (a symbolic link, a script, a callback, another
                tool's .conf) is reported as a block finding: safemigrate refuses to apply while it is there. It needs
                no database and no terminal.

                options:
                  --since GIT-REF   only the files changed since GIT-REF (git diff --name-only GIT-REF, committed or
                                    not) and the files git does not track yet; e.g. origin/main in a pull request
                  --format FORMAT   text (default), json, or github: GitHub Actions workflow annotations
                                    (::error file=…,line=…::…) on the file and the statement's line
                  --fail-on SEV     exit 1 when a finding is at least SEV: block, confirm (default), warn, info,
                                    or never
                  --config PATH     read safemigrate.toml from PATH; when its development database is reachable and
                                    proven, pending migrations are also judged against its catalog (column types,
                                    estimated rows, table sizes): the output says "catalog" instead of "static"

                Exit status: 0 no finding reaches --fail-on, 1 one does, 2 the command line or configuration is wrong.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of(), Set.of("--since", "--format", "--fail-on"));
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        String format = a.option("--format") == null ? "text" : a.option("--format");
        if (!Set.of("text", "json", "github").contains(format)) {
            throw new UsageException("--format must be text, json or github, not '" + format + "'");
        }
        String failOnText = a.option("--fail-on") == null ? "confirm" : a.option("--fail-on");
        Severity failOn = failOn(failOnText);
        Config config = ctx.config();
        Path dir = config.migrations().dir();
        Set<String> changed = a.option("--since") == null ? null
                : Files.isDirectory(dir) ? GitChanges.since(a.option("--since"), dir) : Set.of();
        MigrationSnapshot snapshot;
        try {
            snapshot = dev.safemigrate.migrations.MigrationLayout.of(config.migrations()).snapshot();
        } catch (IOException e) {
            ctx.err().println("safemigrate check: cannot read " + dir + ": " + e.getMessage());
            return 2;
        }
        List<FileResult> files = new ArrayList<>();
        try (Project project = Project.open(config)) {
            CatalogAwareness.ForSnapshot catalog = catalog(ctx, config, project, snapshot);
            for (MigrationSnapshot.SnapshotFile f : snapshot.files()) {
                if (changed != null && !changed.contains(f.script())) {
                    continue;
                }
                CatalogFacts facts = catalog.facts().get(f.script());
                MigrationAnalysis analysis = project.analyzer().analyze(f.text(), project.devDatabaseName(), facts);
                files.add(new FileResult(shown(ctx, f.path()), catalog.basis(f.script()), analysis.findings()));
            }
        }
        for (MigrationSnapshot.Stray s : snapshot.strays()) {
            // every stray, changed or not: apply refuses while any is in the folder
            files.add(new FileResult(shown(ctx, s.path()), null, List.of(new Finding(STRAY_RULE, Severity.BLOCK, 1, 1,
                    s.why(), "Remove it from " + shown(ctx, dir) + ", or move it elsewhere."))));
        }
        boolean failed = failOn != null && files.stream().flatMap(r -> r.findings().stream())
                .anyMatch(f -> f.severity().atLeast(failOn));
        Report report = new Report(shown(ctx, dir), a.option("--since"), failOnText, failed, counts(files), files);
        ctx.out().print(switch (format) {   // stdout-ok
            case "json" -> JSON.writeValueAsString(report) + "\n";
            case "github" -> CheckOutput.github(report, failOn);
            default -> CheckOutput.text(report);
        });
        return failed ? 1 : 0;
    }

    private static Severity failOn(String text) throws UsageException {
        if (text.equals("never")) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.id().equals(text)) {
                return s;
            }
        }
        throw new UsageException("--fail-on must be block, confirm, warn, info or never, not '" + text + "'");
    }

    /** Only with an explicit --config: a CI run without one must not start or look for a database. */
    private static CatalogAwareness.ForSnapshot catalog(CommandContext ctx, Config config, Project project,
                                                        MigrationSnapshot snapshot) {
        if (ctx.configPath() == null) {
            return new CatalogAwareness.ForSnapshot(Map.of(), null,
                    "static only: no --config given, so no development database was asked");
        }
        if (config.dev().embedded()) {
            return new CatalogAwareness.ForSnapshot(Map.of(), null,
                    "static only: the configuration uses the embedded database, which check does not start");
        }
        return CatalogAwareness.forSnapshot(project, snapshot);
    }

    private static Map<String, Integer> counts(List<FileResult> files) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.id(), (int) files.stream().flatMap(r -> r.findings().stream()).filter(f -> f.severity() == s).count());
        }
        return counts;
    }

    /** As GitHub wants annotation paths: relative to the working directory (the repository's root in CI). */
    private static String shown(CommandContext ctx, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path wd = ctx.workingDir().toAbsolutePath().normalize();
        return (abs.startsWith(wd) ? wd.relativize(abs) : abs).toString().replace('\\', '/');
    }

    static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

}
