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
        quiet(db);
        System.out.println("PostgreSQL 15 applies " + ok + " of " + sorted.size() + " migrations; the first it refuses: "
                + (ok < sorted.size() ? sorted.get((int) ok).getFileName() + " (" + stop + ")" : stop));
        return prefix;
    }

    static int version(Path f) {
        String name = f.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** One round of the three calls as an agent makes them, on a fresh database. */
    record Round(double dryRun, double apply, JsonNode refusal, JsonNode applied, String traces) {
        double both() {
            return dryRun + apply;
        }

        @Override
        public String toString() {
            return String.format("apply_to_dev → CONFIRMATION_REQUIRED %.0f ms, confirmed apply %.0f ms; %s", dryRun,
                    apply, traces);
        }
    }

    static void run(Path migrations, int n) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar"));
        String before = System.getProperty("bench.jar.before");
        List<Round> ours = new ArrayList<>(), old = new ArrayList<>();
        List<Double> flyway = new ArrayList<>(), floor = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            String fdb = ServerBench.createDatabase("bench_history_flyway");
            long t0 = System.nanoTime();
            Flyway.configure().dataSource(ServerBench.url(fdb), ServerBench.ROLE, null)
                    .locations("filesystem:" + migrations).cleanDisabled(true).load().migrate();
            double f = ms(t0);
            quiet(fdb);
            double twice = ServerBench.executedTwice(migrations, "bench_history_twice");
            quiet("bench_history_twice");
            Round a = safemigrate(migrations, jar, "history-" + i);
            System.err.printf("round %d: flyway %.0f ms; %s%n", i, f, a);
            Round b = null;
            if (before != null) {
                b = safemigrate(migrations, Path.of(before), "history-before-" + i);
                System.err.printf("round %d, before: %s%n", i, b);
            }
            if (i > 0) { // the first round warms everything
                flyway.add(f);
                floor.add(twice);
                ours.add(a);
                if (b != null) {
                    old.add(b);
                }
            }
        }
        JsonNode pending = ours.get(0).applied().path("structuredContent").path("pending");
        int statements = 0;
        for (JsonNode p : pending) {
            statements += p.path("statement_count").asInt();
        }
        String row = "(h) history, " + pending.size() + " migrations, " + statements + " statements";
        ServerBench.report(row, "Flyway API migrate() alone", flyway, null);
        ServerBench.report(row, "floor of dry run + apply: the statements once rolled back, then migrate()", floor, flyway);
        if (before != null) {
            report(row, "before (" + Path.of(before).getFileName() + ")", old, flyway);
        }
        report(row, "safemigrate", ours, flyway);
        System.out.println();
        for (int i = 0; i < ours.size(); i++) {
            System.out.println("round " + (i + 1) + " trace: " + ours.get(i).traces());
        }
        describe(ours.get(ours.size() - 1).refusal());
    }

    /**
     * Drops the baseline's database and analyses the shared catalog its objects' owner rows went
     * through: otherwise autovacuum's ANALYZE of pg_shdepend commits a transaction during the next
     * calls, and a trace is (rightly) not reused in a cluster where a transaction completed.
     */
    static void quiet(String db) throws Exception {
        ServerBench.sql("postgres", "drop database " + db);
        ServerBench.sql("postgres", "analyze pg_catalog.pg_shdepend");
    }

    static void report(String row, String engine, List<Round> rounds, List<Double> flyway) {
        ServerBench.report(row, engine + " apply_to_dev → CONFIRMATION_REQUIRED (the traced dry run)",
                rounds.stream().map(Round::dryRun).toList(), flyway);
        ServerBench.report(row, engine + " confirmed apply", rounds.stream().map(Round::apply).toList(), flyway);
        ServerBench.report(row, engine + " dry run + confirmed apply", rounds.stream().map(Round::both).toList(), flyway);
    }

    static Round safemigrate(Path migrations, Path jar, String name) throws Exception {
        String db = ServerBench.createDatabase("bench_history");
        Path project = ServerBench.project(name, db);
        ServerBench.copyFolder(migrations, project.resolve("db/migrations"));
        try (ServerBench.Rpc rpc = ServerBench.Rpc.start(ServerBench.serverCommand(project, jar, List.of()), project)) {
            rpc.initialize();
            rpc.call("status", Map.of());
            // the dry run as an agent meets it: apply_to_dev traces and answers CONFIRMATION_REQUIRED with a token
            ServerBench.sql("postgres", "analyze pg_catalog.pg_shdepend"); // the last round's drop, see quiet()
            long t0 = System.nanoTime();
            JsonNode r = rpc.call("apply_to_dev", Map.of());
            double b = ms(t0);
            JsonNode s = r.path("structuredContent");
            JsonNode applied = r;
            double c = b;
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
            String traces = "apply " + trace(r) + (applied != r ? ", confirmed apply " + trace(applied) : "");
            return new Round(b, applied != r ? c : 0, r, applied, traces);
        }
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
            if (s.path("at_risk").size() <= 20) {
                s.path("at_risk").forEach(r -> System.out.println("    " + r.path("path").asText() + " statement "
                        + r.path("statement").asInt() + ": " + r.path("what").asText()));
            }
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
        return t.isMissingNode() ? "(no trace field)"
                : (t.path("reused").asBoolean() ? "reused (" : "traced (") + t.path("why").asText() + ")";
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static String cut(JsonNode r) {
        String s = r.toString();
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }
}
