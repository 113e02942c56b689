import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;

/**
 * (h) A real project's migration history applied to a fresh database, as an agent would: the
 * built jar over stdio (ServerBench's client and projects) as the least-privileged role, a dry
 * run, then apply_to_dev (which answers CONFIRMATION_REQUIRED when something is at risk), then the
 * confirmed apply with its token; against Flyway's migrate() alone on the same files, alternating,
 * a fresh database each. Prints what the confirmation asked about and the findings by severity and
 * rule. Not a test.
 *
 * Usage: HistoryBench FOLDER ITERATIONS, FOLDER holding V1__… V<n>__… in order; only the prefix that
 * PostgreSQL 15 applies is measured.
 */
public class HistoryBench {

    public static void main(String[] args) throws Exception {
        Path all = Path.of(args[0]).toAbsolutePath();
        int n = Math.max(3, args.length > 1 ? Integer.parseInt(args[1]) : 5);
        ServerBench.work = Path.of(System.getProperty("bench.work", "bench/.work")).toAbsolutePath();
        try (EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(ServerBench.work.resolve("pgdata-history")).setCleanDataDirectory(true).start()) {
            ServerBench.pg = server;
            ServerBench.sql("postgres", "create role " + ServerBench.ROLE + " login");
            Path files = pg15Prefix(all);
            run(files, n);
        }
    }

    /** The migrations, in version order, up to the first one PostgreSQL 15 refuses (copied to a folder of their own). */
    static Path pg15Prefix(Path all) throws Exception {
        List<Path> sorted;
        try (var list = Files.list(all)) {
            sorted = list.sorted(Comparator.comparingInt(HistoryBench::version)).toList();
        }
        String db = ServerBench.createDatabase("bench_history_probe");
        Flyway flyway = Flyway.configure().dataSource(ServerBench.url(db), ServerBench.ROLE, null)
                .locations("filesystem:" + all).cleanDisabled(true).load();
        String stop = "none: every migration applied";
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            stop = e.getMessage().lines().filter(l -> l.contains("ERROR") || l.contains("Migration V")).limit(2)
                    .collect(Collectors.joining(" / "));
        }
        long ok = java.util.Arrays.stream(flyway.info().applied()).filter(m -> m.getState().isApplied()
                && !m.getState().isFailed()).count();
        Path prefix = all.resolveSibling("migrations");
        ServerBench.deleteTree(prefix);
        Files.createDirectories(prefix);
        for (Path f : sorted.subList(0, (int) ok)) {
            Files.copy(f, prefix.resolve(f.getFileName()));
        }
        System.out.println("PostgreSQL 15 applies " + ok + " of " + sorted.size() + " migrations; the first it refuses: "
                + (ok < sorted.size() ? sorted.get((int) ok).getFileName() + " (" + stop + ")" : stop));
        return prefix;
    }

    static int version(Path f) {
        String name = f.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    static void run(Path migrations, int n) throws Exception {
        List<Double> dry = new ArrayList<>(), refusal = new ArrayList<>(), apply = new ArrayList<>(),
                both = new ArrayList<>(), flyway = new ArrayList<>();
        JsonNode lastRefusal = null, lastDry = null;
        List<String> reused = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            String db = ServerBench.createDatabase("bench_history_" + i);
            Path project = ServerBench.project("history-" + i, db);
            ServerBench.copyFolder(migrations, project.resolve("db/migrations"));
            double a, b, c;
            try (ServerBench.Rpc rpc = ServerBench.Rpc.start(ServerBench.serverCommand(project), project)) {
                rpc.initialize();
                rpc.call("status", Map.of());
                long t0 = System.nanoTime();
                JsonNode d = rpc.call("apply_to_dev", Map.of("dry_run", true));
                a = ms(t0);
                if (d.path("isError").asBoolean() || !d.path("structuredContent").path("dry_run_result").path("success").asBoolean()) {
                    throw new IllegalStateException("dry run failed: " + cut(d));
                }
                t0 = System.nanoTime();
                JsonNode r = rpc.call("apply_to_dev", Map.of());
                b = ms(t0);
                JsonNode s = r.path("structuredContent");
                JsonNode applied = r;
                c = 0;
                if (r.path("isError").asBoolean()) {
                    if (!s.path("error").path("code").asText().equals("CONFIRMATION_REQUIRED")) {
                        throw new IllegalStateException("apply refused: " + cut(r));
                    }
                    t0 = System.nanoTime();
                    applied = rpc.call("apply_to_dev", Map.of("confirm", s.path("confirmation_token").asText()));
                    c = ms(t0);
                }
                JsonNode out = applied.path("structuredContent");
                if (applied.path("isError").asBoolean() || out.path("applied").size() != out.path("pending").size()) {
                    throw new IllegalStateException("apply failed: " + cut(applied));
                }
                reused.add("dry run " + trace(d) + ", refusal " + trace(r) + (c > 0 ? ", confirmed apply " + trace(applied) : ""));
                lastRefusal = r;
                lastDry = d;
            }
            String fdb = ServerBench.createDatabase("bench_history_flyway_" + i);
            long t0 = System.nanoTime();
            Flyway.configure().dataSource(ServerBench.url(fdb), ServerBench.ROLE, null)
                    .locations("filesystem:" + migrations).cleanDisabled(true).load().migrate();
            double f = ms(t0);
            if (i > 0) { // the first round warms both
                dry.add(a);
                refusal.add(b);
                apply.add(c > 0 ? c : b);
                both.add(a + (c > 0 ? c : b));
                flyway.add(f);
            }
        }
        JsonNode pending = lastDry.path("structuredContent").path("pending");
        int statements = 0;
        for (JsonNode p : pending) {
            statements += p.path("statement_count").asInt();
        }
        String row = "(h) history, " + pending.size() + " migrations, " + statements + " statements";
        ServerBench.report(row, "Flyway API migrate() alone", flyway, null);
        ServerBench.report(row, "safemigrate dry_run: true", dry, flyway);
        ServerBench.report(row, "safemigrate apply_to_dev → CONFIRMATION_REQUIRED", refusal, flyway);
        ServerBench.report(row, "safemigrate confirmed apply", apply, flyway);
        ServerBench.report(row, "safemigrate dry run + confirmed apply", both, flyway);
        System.out.println();
        System.out.println("trace per round: " + String.join(" | ", reused));
        describe(lastRefusal);
    }

    /** What the person was asked about, and every finding by severity and rule. */
    static void describe(JsonNode refusal) {
        JsonNode s = refusal.path("structuredContent");
        if (!refusal.path("isError").asBoolean()) {
            System.out.println("no CONFIRMATION_REQUIRED: the apply needed no confirmation (nothing at risk)");
        } else {
            System.out.println("CONFIRMATION_REQUIRED listed " + s.path("at_risk").size() + " item(s) at risk:");
            Map<String, Integer> kinds = new TreeMap<>();
            for (JsonNode r : s.path("at_risk")) {
                kinds.merge(r.path("what").asText().replaceAll("[0-9]+", "N").replaceAll(": .*", ""), 1, Integer::sum);
            }
            kinds.forEach((k, v) -> System.out.println("  " + v + " × " + k));
        }
        Map<String, Integer> severities = new TreeMap<>(), rules = new TreeMap<>();
        for (JsonNode f : s.path("findings")) {
            severities.merge(f.path("severity").asText(), 1, Integer::sum);
            rules.merge(f.path("severity").asText() + " " + f.path("rule").asText(), 1, Integer::sum);
        }
        System.out.println("findings: " + s.path("findings").size() + " — by severity " + severities);
        rules.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.println("  " + e.getValue() + " × " + e.getKey()));
    }

    static String trace(JsonNode result) {
        JsonNode t = result.path("structuredContent").path("trace");
        return t.isMissingNode() ? "(no trace field)" : t.path("reused").asBoolean() ? "reused" : "traced";
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static String cut(JsonNode r) {
        String s = r.toString();
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }
}
