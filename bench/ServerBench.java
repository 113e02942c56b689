import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;

import dev.safemigrate.analysis.MigrationAnalyzer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server as an agent meets it: the built jar started as a subprocess and driven over stdio
 * with raw JSON-RPC lines, against a PostgreSQL started here (external to the server, as a
 * configured dev database is). Each row's baseline runs in the same run, alternating with
 * safemigrate, so a machine shared with other builds slows both alike. Not a test.
 *
 * Usage: ServerBench ROW ITERATIONS, ROW one of start, status, apply, large, cold, backup, rss.
 * System properties: bench.work (scratch folder), bench.jar (the server jar), bench.jar.before
 * (an older jar measured beside it, for before/after figures from the same machine state),
 * bench.server.options (extra JVM options for the server, space-separated, e.g. a JFR recording),
 * bench.node.server (the TypeScript SDK baseline for start).
 */
public class ServerBench {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String ROLE = "sm_app";
    static Path work;
    static EmbeddedPostgres pg;

    public static void main(String[] args) throws Exception {
        String row = args[0];
        int n = Math.max(3, args.length > 1 ? Integer.parseInt(args[1]) : 5);
        work = Path.of(System.getProperty("bench.work", "bench/.work")).toAbsolutePath();
        Files.createDirectories(work);
        System.out.println("| row | engine | runs | min | median | max | median vs baseline |");
        System.out.println("|---|---|---|---|---|---|---|");
        if (row.equals("start")) {
            start(n);
            return;
        }
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pgdata-" + row))
                .setCleanDataDirectory(true).start()) {
            pg = server;
            sql("postgres", "create role " + ROLE + " login");
            switch (row) {
                case "status" -> status(n);
                case "apply" -> apply(n);
                case "large" -> large(n);
                case "cold" -> cold(n);
                case "backup" -> backup(n);
                case "rss" -> rss(n);
                default -> throw new IllegalArgumentException("unknown row " + row);
            }
        }
    }

    // ---- rows

    /**
     * (a) process start → tools/list answered, against a minimal server on the official TypeScript
     * SDK; safemigrate both as {@code java -jar} and as the .mcp.json that init writes runs it
     * (with the start-up class archive, made here first the way init makes it). With
     * -Dbench.jar.before, that jar (e.g. the previous commit's) is measured too, in the same rounds.
     */
    static void start(int n) throws Exception {
        String nodeServer = System.getProperty("bench.node.server");
        Path project = project("start", "bench_start_unused");
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar")).toAbsolutePath();
        List<String> shipped = shippedOptions(jar);
        String before = System.getProperty("bench.jar.before");
        // the older jar's own archive, made by its own training run
        List<String> oldShipped = before == null ? List.of() : shippedOptions(Path.of(before).toAbsolutePath(), "startup-before.jsa");
        List<String> launched = launchedCommand(project, jar, Path.of(shipped.get(0).substring("-XX:SharedArchiveFile=".length())));
        List<Double> plain = new ArrayList<>(), cds = new ArrayList<>(), old = new ArrayList<>(), oldCds = new ArrayList<>(),
                theirs = new ArrayList<>(), checked = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            double a = timeToToolsList(serverCommand(project, jar, List.of()), project);
            double c = timeToToolsList(serverCommand(project, jar, shipped), project);
            double l = timeToToolsList(launched, project);
            double o = before == null ? 0 : timeToToolsList(serverCommand(project, Path.of(before), List.of()), project);
            double oc = before == null ? 0 : timeToToolsList(serverCommand(project, Path.of(before), oldShipped), project);
            double b = timeToToolsList(List.of("node", nodeServer), project);
            if (i > 0) { // the first round warms the page cache
                plain.add(a);
                cds.add(c);
                checked.add(l);
                old.add(o);
                oldCds.add(oc);
                theirs.add(b);
            }
        }
        report("(a) start → tools/list", "node + @modelcontextprotocol/sdk", theirs, null);
        if (before != null) {
            report("(a) start → tools/list", "safemigrate before (" + Path.of(before).getFileName() + ", java -jar)", old, theirs);
            report("(a) start → tools/list", "safemigrate before (" + Path.of(before).getFileName()
                    + ") as its .mcp.json runs it (its class archive)", oldCds, theirs);
        }
        report("(a) start → tools/list", "safemigrate, java -jar", plain, theirs);
        report("(a) start → tools/list", "safemigrate, class archive mapped unchecked (.mcp.json before the launcher)", cds, theirs);
        report("(a) start → tools/list", "safemigrate as init's .mcp.json runs it (the launcher checks the archive)", checked, theirs);
        report("(a) start → tools/list", "the launcher's check: as .mcp.json runs it, against the unchecked archive", checked, cds);
    }

    /**
     * The command init's .mcp.json runs (ArchiveLauncher: sh checks the archive's fingerprint, then execs java with
     * it), with the archive's fingerprint recorded as init records it, in the bench's own configuration folder.
     */
    @SuppressWarnings("unchecked")
    static List<String> launchedCommand(Path project, Path jar, Path archive) throws Exception {
        Path config = work.resolve("config");
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            Class<?> launcher = loader.loadClass("dev.safemigrate.cli.init.ArchiveLauncher");
            launcher.getMethod("recordFingerprint", Path.class, Path.class).invoke(null, config, archive);
            Path record = (Path) launcher.getMethod("record", Path.class, Path.class).invoke(null, config, archive);
            List<String> cmd = new ArrayList<>((List<String>) launcher.getMethod("command", String.class, Path.class, Path.class,
                    Path.class).invoke(null, Path.of(System.getProperty("java.home"), "bin", "java").toString(), archive, record, jar));
            cmd.addAll(List.of("--config", project.resolve("safemigrate.toml").toString()));
            return cmd;
        }
    }

    /**
     * The JVM options of the .mcp.json that init writes (the start-up class archive, made here first the way
     * init makes it, and the runtime options that go with it): how users run the server.
     */
    static List<String> shippedOptions(Path jar) throws Exception {
        return shippedOptions(jar, "startup.jsa");
    }

    /** As {@link #shippedOptions(Path)}, with the StartupArchive of {@code jar} itself (an older jar trains as it did). */
    @SuppressWarnings("unchecked")
    static List<String> shippedOptions(Path jar, String archiveName) throws Exception {
        Path archive = work.resolve(archiveName);
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            Class<?> sa = loader.loadClass("dev.safemigrate.cli.init.StartupArchive");
            String failed = (String) sa.getMethod("create", Path.class, Path.class, java.time.Duration.class)
                    .invoke(null, jar.toAbsolutePath(), archive, java.time.Duration.ofSeconds(300));
            if (failed != null) {
                throw new IllegalStateException("no start-up archive: " + failed);
            }
            return (List<String>) sa.getMethod("jvmOptions", Path.class).invoke(null, archive);
        }
    }

    static double timeToToolsList(List<String> cmd, Path dir) throws Exception {
        long t0 = System.nanoTime();
        try (Rpc rpc = Rpc.start(cmd, dir)) {
            rpc.initialize();
            JsonNode tools = rpc.request("tools/list", JSON.createObjectNode());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (tools.path("tools").size() == 0) {
                throw new IllegalStateException("no tools listed: " + tools);
            }
            return ms;
        }
    }

    /**
     * (b) warm status over an external PostgreSQL: the identity proof, Flyway's history, the
     * folder. With -Dbench.jar.before, that jar serves a twin project, called in turn with this one.
     */
    static void status(int n) throws Exception {
        String before = System.getProperty("bench.jar.before");
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar"));
        createDatabase("bench_status");
        createDatabase("bench_status_before");
        Path project = project("status", "bench_status");
        Path twin = project("status-before", "bench_status_before");
        writeMigrations(project, 20, 0);
        writeMigrations(twin, 20, 0);
        List<Double> times = new ArrayList<>(), old = new ArrayList<>();
        try (Rpc rpc = Rpc.start(serverCommand(project), project);
             Rpc oldRpc = before == null ? null : Rpc.start(serverCommand(twin, Path.of(before), List.of()), twin)) {
            rpc.initialize();
            rpc.call("apply_to_dev", Map.of());
            if (oldRpc != null) {
                oldRpc.initialize();
                oldRpc.call("apply_to_dev", Map.of());
            }
            for (int i = 0; i < 20; i++) {
                rpc.call("status", Map.of());
                if (oldRpc != null) {
                    oldRpc.call("status", Map.of());
                }
            }
            for (int i = 0; i < n * 10; i++) {
                times.add(timedStatus(rpc));
                if (oldRpc != null) {
                    old.add(timedStatus(oldRpc));
                }
            }
        }
        if (before != null) {
            report("(b) warm status, 20 applied migrations", "safemigrate before (" + Path.of(before).getFileName() + ")", old, null);
        }
        report("(b) warm status, 20 applied migrations", "safemigrate", times, before == null ? null : old);
    }

    static double timedStatus(Rpc rpc) throws IOException {
        long t0 = System.nanoTime();
        JsonNode r = rpc.call("status", Map.of());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.path("isError").asBoolean() || !r.path("structuredContent").path("database").path("verified").asBoolean()) {
            throw new IllegalStateException("status failed: " + r);
        }
        return ms;
    }

    /**
     * (c) apply_to_dev of 300 small migrations vs Flyway's migrate() alone on the same files. With
     * -Dbench.jar.before, that jar applies them too, on its own database, in the same rounds.
     */
    static void apply(int n) throws Exception {
        Path files = work.resolve("apply-files");
        writeMigrations(files.getParent().resolve("apply-files-project"), 300, 0);
        Path migrations = files.getParent().resolve("apply-files-project/db/migrations");
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar"));
        String before = System.getProperty("bench.jar.before");
        List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>(), old = new ArrayList<>(), floor = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            double a = timedApply(migrations, jar, "apply-" + i, "bench_apply_" + i);
            double o = before == null ? 0 : timedApply(migrations, Path.of(before), "apply-before-" + i,
                    "bench_apply_before_" + i);
            String fdb = createDatabase("bench_flyway_" + i);
            long t0 = System.nanoTime();
            Flyway.configure().dataSource(url(fdb), ROLE, null).locations("filesystem:" + migrations)
                    .cleanDisabled(true).load().migrate();
            double b = (System.nanoTime() - t0) / 1e6;
            double twice = executedTwice(migrations, "bench_apply_twice_" + i);
            if (i > 0) { // the first pair warms both
                ours.add(a);
                theirs.add(b);
                old.add(o);
                floor.add(twice);
            }
        }
        report("(c) apply 300 migrations", "Flyway API migrate() alone", theirs, null);
        report("(c) apply 300 migrations", "floor: the statements once rolled back, then migrate()", floor, theirs);
        if (before != null) {
            report("(c) apply 300 migrations", "safemigrate before (" + Path.of(before).getFileName() + ")", old, theirs);
        }
        report("(c) apply 300 migrations", "safemigrate apply_to_dev", ours, theirs);
    }

    /**
     * What any apply that checks by running the statements first must spend even if its checks
     * cost nothing: apply_to_dev runs every statement once in the rolled-back dry run, and then
     * Flyway runs them again. Here: every transactional statement of the files, in version order,
     * in one transaction rolled back (as plain JDBC statements, nothing read in between), then
     * Flyway's migrate() of the same files on the same (fresh) database.
     *
     * @return the milliseconds of both
     */
    static double executedTwice(Path migrations, String database) throws Exception {
        MigrationAnalyzer analyzer = new MigrationAnalyzer();
        List<Path> files;
        try (var list = Files.list(migrations)) {
            files = list.filter(f -> f.getFileName().toString().matches("V[0-9._]+__.*\\.sql"))
                    .sorted(java.util.Comparator.comparing(f -> org.flywaydb.core.api.MigrationVersion.fromVersion(
                            f.getFileName().toString().replaceAll("^V([0-9._]+)__.*", "$1").replace('_', '.'))))
                    .toList();
        }
        List<String> statements = new ArrayList<>();
        for (Path f : files) {
            for (var st : analyzer.analyze(Files.readString(f)).statements()) {
                if (st.transactional()) {
                    statements.add(st.text());
                }
            }
        }
        String db = createDatabase(database);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null)) {
            rolledBack(c, statements);
        }
        Flyway.configure().dataSource(url(db), ROLE, null).locations("filesystem:" + migrations)
                .cleanDisabled(true).load().migrate();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Executes the statements in one transaction and rolls it back: a plain run, nothing read in between. */
    static void rolledBack(Connection c, List<String> statements) throws java.sql.SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } finally {
            c.rollback();
        }
    }

    /** One apply_to_dev of every migration in {@code migrations} to a fresh database, after a warm-up status. */
    static double timedApply(Path migrations, Path jar, String name, String database) throws Exception {
        String db = createDatabase(database);
        Path project = project(name, db);
        copyFolder(migrations, project.resolve("db/migrations"));
        try (Rpc rpc = Rpc.start(serverCommand(project, jar, List.of()), project)) {
            rpc.initialize();
            rpc.call("status", Map.of());
            long t0 = System.nanoTime();
            JsonNode r = rpc.call("apply_to_dev", Map.of());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.path("isError").asBoolean() || r.path("structuredContent").path("applied").size() != 300) {
                throw new IllegalStateException("apply failed: " + r.toString().substring(0, 2000));
            }
            return ms;
        }
    }

    /**
     * (e) create_migration of ~15 MB SQL end to end over stdio vs the analysis engine alone: into a
     * table the migration creates, and into a table that already exists in the development
     * database (whose catalog facts then apply, so the server reads the SQL a second time with them).
     * The new table's call also goes to a server run as init's .mcp.json runs it (its JVM options: the
     * figure users see), beside the plain {@code java -jar} ones.
     */
    static void large(int n) throws Exception {
        createDatabase("bench_large");
        createDatabase("bench_large_existing");
        sql("bench_large_existing", "create table big_import (id bigint primary key, name text, email text, score int)");
        sql("bench_large_existing", "alter table big_import owner to " + ROLE);
        Path project = project("large", "bench_large");
        Path existing = project("large-existing", "bench_large_existing");
        String before = System.getProperty("bench.jar.before");
        Path twin = project("large-before", "bench_large");
        Path asShipped = project("large-shipped", "bench_large");
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar"));
        List<String> shipped = shippedOptions(jar);
        String sql = largeSql(15_000_000);
        String inserts = sql.substring(sql.indexOf('\n') + 1);
        double mb = sql.getBytes(StandardCharsets.UTF_8).length / 1e6;
        MigrationAnalyzer analyzer = new MigrationAnalyzer();
        List<Double> ours = new ArrayList<>(), twice = new ArrayList<>(), theirs = new ArrayList<>(), old = new ArrayList<>(),
                users = new ArrayList<>();
        // CPU time too (the server process's, all its threads; the bench process.s for the analysis alone): on a machine
        // shared with other builds it varies far less than the wall-clock time
        List<Double> oursCpu = new ArrayList<>(), twiceCpu = new ArrayList<>(), theirsCpu = new ArrayList<>(),
                oldCpu = new ArrayList<>(), usersCpu = new ArrayList<>();
        // the analysis reads a large file on every core: the whole bench process's CPU, not the calling thread's
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String firstCall = "";
        try (Rpc rpc = Rpc.start(serverCommand(project), project); Rpc rpc2 = Rpc.start(serverCommand(existing), existing);
             Rpc oldRpc = before == null ? null : Rpc.start(serverCommand(twin, Path.of(before), List.of()), twin);
             Rpc shippedRpc = Rpc.start(serverCommand(asShipped, jar, shipped), asShipped)) {
            rpc.initialize();
            rpc2.initialize();
            shippedRpc.initialize();
            if (oldRpc != null) {
                oldRpc.initialize();
            }
            for (int i = 0; i <= n; i++) {
                double aCpu = cpuMs(rpc);
                double a = timedCreate(rpc, project, "large_" + i, sql);
                aCpu = cpuMs(rpc) - aCpu;
                double cCpu = cpuMs(rpc2);
                double c = timedCreate(rpc2, existing, "large_" + i, inserts);
                cCpu = cpuMs(rpc2) - cCpu;
                double oCpu = oldRpc == null ? 0 : cpuMs(oldRpc);
                double o = oldRpc == null ? 0 : timedCreate(oldRpc, twin, "large_" + i, sql);
                oCpu = oldRpc == null ? 0 : cpuMs(oldRpc) - oCpu;
                double uCpu = cpuMs(shippedRpc);
                double u = timedCreate(shippedRpc, asShipped, "large_" + i, sql);
                uCpu = cpuMs(shippedRpc) - uCpu;
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                int statements = analyzer.analyze(sql).statements().size();
                double b = (System.nanoTime() - t0) / 1e6;
                double bCpu = (os.getProcessCpuTime() - cpu0) / 1e6;
                if (statements < 1000) {
                    throw new IllegalStateException("the analysis read " + statements + " statements");
                }
                if (i == 0) {   // the JIT has not yet compiled the analysis: what a server's first large call meets
                    firstCall = String.format("(first call of each server, not counted above: new table %.0f ms, as init's "
                            + ".mcp.json runs it %.0f ms%s)%n", a, u, oldRpc == null ? "" : String.format(", before %.0f ms", o));
                }
                if (i > 0) {
                    ours.add(a);
                    twice.add(c);
                    theirs.add(b);
                    old.add(o);
                    oursCpu.add(aCpu);
                    twiceCpu.add(cCpu);
                    theirsCpu.add(bCpu);
                    oldCpu.add(oCpu);
                    users.add(u);
                    usersCpu.add(uCpu);
                }
            }
        }
        String cpuRow = String.format("(e) CPU ms, create_migration %.1f MB", sql.getBytes(StandardCharsets.UTF_8).length / 1e6);
        report(cpuRow, "analysis engine alone (bench process)", theirsCpu, null);
        if (before != null) {
            report(cpuRow, "safemigrate before, new table (server process)", oldCpu, theirsCpu);
        }
        report(cpuRow, "safemigrate, new table (server process)", oursCpu, theirsCpu);
        report(cpuRow, "safemigrate as init's .mcp.json runs it, new table (server process)", usersCpu, theirsCpu);
        report(cpuRow, "safemigrate, existing table (server process)", twiceCpu, theirsCpu);
        System.out.println();
        System.out.printf("(%.1f MB: safemigrate median %.1f MB/s (existing table: %.1f MB/s; as init's .mcp.json runs it: "
                + "%.1f MB/s), analysis alone %.1f MB/s)%n%n", mb, mb / (median(ours) / 1000), mb / (median(twice) / 1000),
                mb / (median(users) / 1000), mb / (median(theirs) / 1000));
        String row = String.format("(e) create_migration %.1f MB", mb);
        report(row, "analysis engine alone (in process)", theirs, null);
        if (before != null) {
            report(row, "safemigrate before (" + Path.of(before).getFileName() + "), new table", old, theirs);
        }
        report(row, "safemigrate over stdio, new table", ours, theirs);
        report(row, "safemigrate over stdio as init's .mcp.json runs it, new table", users, theirs);
        report(row, "safemigrate over stdio, existing table (catalog facts apply)", twice, theirs);
        System.out.println();
        System.out.print(firstCall);
    }

    /** A small migration, as most of an agent's are: a table, an index on it, a column added. */
    static final String SMALL_SQL = """
            create table cold_orders (id bigint primary key, customer_id bigint not null, total numeric(12,2), created_at timestamptz not null default now());
            create index cold_orders_customer on cold_orders (customer_id);
            alter table cold_orders add column note text;
            """;

    /**
     * (e′) an agent's first create_migration of a session, a small one, in a fresh server process: process start →
     * initialize → tools/list → the first create_migration answered, with the JVM options of init's .mcp.json (its
     * class archive made first, by the jar's own StartupArchive) and as plain {@code java -jar}; the project has 20
     * applied migrations. The first call is sent at once, and in another process after a pause (an agent thinks
     * before its first call). The baseline is the same server's warm call (the same SQL again, in the same process).
     * With -Dbench.jar.before, that jar as its .mcp.json runs it, in the same rounds.
     */
    static void cold(int n) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar")).toAbsolutePath();
        String before = System.getProperty("bench.jar.before");
        record Engine(String name, Path jar, List<String> options, Path project,
                      List<Double> toList, List<Double> first, List<Double> total, List<Double> warm, List<Double> paused) {
            static Engine of(String name, Path jar, List<String> options, Path project) {
                return new Engine(name, jar, options, project, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>(), new ArrayList<>());
            }
        }
        List<Engine> engines = new ArrayList<>();
        if (before != null) {
            Path old = Path.of(before).toAbsolutePath();
            engines.add(Engine.of("safemigrate before (" + old.getFileName() + ") as its .mcp.json runs it", old,
                    shippedOptions(old, "startup-before.jsa"), coldProject("cold-before")));
        }
        engines.add(Engine.of("safemigrate as init's .mcp.json runs it", jar, shippedOptions(jar, "startup.jsa"),
                coldProject("cold-shipped")));
        engines.add(Engine.of("safemigrate, java -jar", jar, List.of(), coldProject("cold-plain")));
        for (int i = 0; i <= n; i++) {
            for (Engine e : engines) {
                // at once, as a client scripted to call right away; and after a pause, as an agent's first call
                // follows its user's prompt and its thinking
                for (long pause : new long[] {0, AGENT_PAUSE_MS}) {
                    long t0 = System.nanoTime();
                    try (Rpc rpc = Rpc.start(serverCommand(e.project(), e.jar(), e.options()), e.project())) {
                        rpc.initialize();
                        if (rpc.request("tools/list", JSON.createObjectNode()).path("tools").size() == 0) {
                            throw new IllegalStateException("no tools listed");
                        }
                        long t1 = System.nanoTime();
                        Thread.sleep(pause);
                        double first = timedCreate(rpc, e.project(), "cold_first", SMALL_SQL);
                        long t2 = System.nanoTime();
                        timedCreate(rpc, e.project(), "cold_second", SMALL_SQL);
                        double warm = timedCreate(rpc, e.project(), "cold_third", SMALL_SQL);
                        if (i > 0) { // the first round warms the page cache
                            if (pause == 0) {
                                e.toList().add((t1 - t0) / 1e6);
                                e.first().add(first);
                                e.total().add((t2 - t0) / 1e6);
                                e.warm().add(warm);
                            } else {
                                e.paused().add(first);
                            }
                        }
                    }
                }
            }
        }
        for (Engine e : engines) {
            report("(e′) small create_migration, warm (3rd call)", e.name(), e.warm(), null);
            report("(e′) start → tools/list answered", e.name(), e.toList(), null);
            report("(e′) first create_migration, sent as tools/list is answered", e.name(), e.first(), e.warm());
            report("(e′) first create_migration, sent " + AGENT_PAUSE_MS + " ms after tools/list", e.name(), e.paused(), e.warm());
            report("(e′) start → first create_migration answered (sent at once)", e.name(), e.total(), e.warm());
        }
    }

    /** A short think: an agent's first call comes after its user's prompt and at least one model turn. */
    static final long AGENT_PAUSE_MS = 2000;

    /** A project whose development database has 20 applied migrations (Flyway's history included). */
    static Path coldProject(String name) throws Exception {
        String db = createDatabase("bench_" + name.replace('-', '_'));
        Path project = project(name, db);
        writeMigrations(project, 20, 0);
        Flyway.configure().dataSource(url(db), ROLE, null).locations("filesystem:" + project.resolve("db/migrations"))
                .cleanDisabled(true).load().migrate();
        return project;
    }

    /** user + system CPU time of the server process so far, from /proc (Linux), in ms */
    static double cpuMs(Rpc rpc) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + rpc.process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;   // utime, stime in ticks of 10 ms (USER_HZ 100)
    }

    static double timedCreate(Rpc rpc, Path project, String name, String sql) throws IOException {
        long t0 = System.nanoTime();
        JsonNode r = rpc.call("create_migration", Map.of("name", name, "sql", sql));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.path("isError").asBoolean()) {
            throw new IllegalStateException("create_migration failed: " + r.toString().substring(0, 2000));
        }
        if (!r.path("structuredContent").path("analysis").path("kind").asString().equals("catalog")) {
            throw new IllegalStateException("the analysis did not use the catalog: " + r.path("structuredContent").path("analysis"));
        }
        // each call meets the same folder: a pending 15 MB file left behind would be analysed again by
        // the next call (its catalog-aware analysis reads every pending migration)
        Path written = project.resolve(r.path("structuredContent").path("path").asString());
        if (!Files.readString(written).equals(sql)) {
            throw new IllegalStateException("the file written is not the SQL sent");
        }
        Files.delete(written);
        Files.deleteIfExists(Path.of(written + ".conf"));
        return ms;
    }

    /** (f) backup of a few-hundred-MB database vs bare pg_dump -Fc. */
    static void backup(int n) throws Exception {
        int rows = Integer.getInteger("bench.backup.rows", 2_000_000);
        String db = createDatabase("bench_backup");
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null); Statement s = c.createStatement()) {
            s.execute("create table big (id bigint primary key, a text, b text, n numeric)");
            s.execute("insert into big select g, md5(g::text) || md5((g*7)::text), repeat(md5((g*3)::text), 2), g * 1.5 "
                    + "from generate_series(1, " + rows + ") g");
            s.execute("create table small (id int primary key, v text)");
            s.execute("insert into small select g, 'v' || g from generate_series(1, 1000) g");
            s.execute("vacuum analyze big");
        }
        long size = queryLong(db, "select pg_database_size(current_database())");
        Path project = project("backup", db);
        String before = System.getProperty("bench.jar.before");
        Path twin = project("backup-before", db);
        List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>(), old = new ArrayList<>();
        try (Rpc rpc = Rpc.start(serverCommand(project), project);
             Rpc oldRpc = before == null ? null : Rpc.start(serverCommand(twin, Path.of(before), List.of()), twin)) {
            rpc.initialize();
            rpc.call("status", Map.of());
            if (oldRpc != null) {
                oldRpc.initialize();
                oldRpc.call("status", Map.of());
            }
            for (int i = 0; i <= n; i++) {
                double a = timedBackup(rpc);
                double o = oldRpc == null ? 0 : timedBackup(oldRpc);
                Path out = work.resolve("bare.dump");
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("pg_dump", "-Fc", "-f", out.toString(), "--dbname", url(db).replace("jdbc:", "")
                        + "?user=" + ROLE).redirectErrorStream(true).redirectOutput(work.resolve("pg_dump.log").toFile()).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("pg_dump failed: " + Files.readString(work.resolve("pg_dump.log")));
                }
                double b = (System.nanoTime() - t0) / 1e6;
                Files.delete(out);
                if (i > 0) {
                    ours.add(a);
                    theirs.add(b);
                    old.add(o);
                }
            }
        }
        System.out.printf("(database size %d MB)%n%n", size / 1_000_000);
        report("(f) backup " + size / 1_000_000 + " MB", "bare pg_dump -Fc", theirs, null);
        if (before != null) {
            report("(f) backup " + size / 1_000_000 + " MB", "safemigrate before (" + Path.of(before).getFileName() + ")",
                    old, theirs);
        }
        report("(f) backup " + size / 1_000_000 + " MB", "safemigrate backup", ours, theirs);
    }

    static double timedBackup(Rpc rpc) throws IOException {
        long t0 = System.nanoTime();
        JsonNode r = rpc.call("backup", Map.of());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.path("isError").asBoolean()) {
            throw new IllegalStateException("backup failed: " + r);
        }
        return ms;
    }

    /**
     * (g) resident memory of an idle server after tools/list (as every client asks it, which starts
     * the first-call warm-up: given 3 s to end), status and show_sql.
     */
    static void rss(int n) throws Exception {
        createDatabase("bench_rss");
        Path project = project("rss", "bench_rss");
        writeMigrations(project, 20, 0);
        List<Double> mb = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (Rpc rpc = Rpc.start(serverCommand(project), project)) {
                rpc.initialize();
                rpc.request("tools/list", JSON.createObjectNode());
                Thread.sleep(3000);
                rpc.call("status", Map.of());
                rpc.call("show_sql", Map.of());
                Thread.sleep(2000);
                for (String line : Files.readAllLines(Path.of("/proc/" + rpc.process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        mb.add(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                    }
                }
            }
        }
        report("(g) idle RSS after tools/list, the warm-up, status + show_sql (MB)", "safemigrate", mb, null);
    }

    // ---- projects, files, databases

    static List<String> serverCommand(Path project) {
        return serverCommand(project, Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar")), List.of());
    }

    static List<String> serverCommand(Path project, Path jar, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        // e.g. -Dbench.server.options=-XX:StartFlightRecording=filename=/tmp/x.jfr to profile the server
        String extra = System.getProperty("bench.server.options", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--config", project.resolve("safemigrate.toml").toString()));
        return cmd;
    }

    static Path project(String name, String database) throws IOException {
        Path root = work.resolve("projects").resolve(name);
        deleteTree(root);
        Files.createDirectories(root.resolve("db/migrations"));
        Files.writeString(root.resolve("safemigrate.toml"), """
                [migrations]
                dir = "db/migrations"

                [dev]
                url = "%s"
                user = "%s"

                [policy]
                backup_before_apply = "never"

                [backup]
                dir = ".safemigrate/backups"
                keep = 3
                """.formatted(url(database), ROLE));
        return root;
    }

    /** Small migrations: a table each, an index, a few rows. */
    static void writeMigrations(Path project, int count, int from) throws IOException {
        Path dir = project.resolve("db/migrations");
        Files.createDirectories(dir);
        for (int i = from + 1; i <= from + count; i++) {
            Files.writeString(dir.resolve("V" + i + "__table_" + i + ".sql"), """
                    create table t%1$d (id bigint primary key, name text not null, created_at timestamptz default now());
                    create index t%1$d_name on t%1$d (name);
                    insert into t%1$d (id, name) values (1, 'a'), (2, 'b');
                    """.formatted(i));
        }
    }

    static String largeSql(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 200);
        sb.append("create table big_import (id bigint primary key, name text, email text, score int);\n");
        for (int i = 0; sb.length() < bytes; i++) {
            sb.append("insert into big_import (id, name, email, score) values (").append(i).append(", 'name ").append(i)
                    .append("', 'user").append(i).append("@example.com', ").append(i % 100).append(");\n");
        }
        return sb.toString();
    }

    static String url(String db) {
        // start needs no database: the server connects on the first tool call, never before tools/list
        return "jdbc:postgresql://localhost:" + (pg == null ? 5432 : pg.getPort()) + "/" + db;
    }

    static String createDatabase(String name) throws Exception {
        sql("postgres", "drop database if exists " + name);
        sql("postgres", "create database " + name + " owner " + ROLE);
        return name;
    }

    static void sql(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(db), "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long queryLong(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(db), "postgres", null); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- figures

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    static void report(String row, String engine, List<Double> xs, List<Double> baseline) {
        report(row, engine, xs, baseline, 1);
    }

    /** One table row: runs, min, median, max (with {@code decimals} digits) and the median's ratio to the baseline's. */
    static void report(String row, String engine, List<Double> xs, List<Double> baseline, int decimals) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        String ratio = baseline == null ? "—" : String.format("%.2fx", median(xs) / median(baseline));
        String f = "%." + decimals + "f";
        System.out.printf("| %s | %s | %d | " + f + " | " + f + " | " + f + " | %s |%n", row, engine, s.size(), s.get(0),
                median(s), s.get(s.size() - 1), ratio);
    }

    // ---- a JSON-RPC client over a subprocess's stdio, one line per message

    static final class Rpc implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final BufferedReader out;
        int nextId = 1;

        private Rpc(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        }

        static Rpc start(List<String> cmd, Path dir) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("server-stderr.log").toFile()));
            // the server's keys live in the user's configuration folder: the bench keeps its own
            pb.environment().put("XDG_CONFIG_HOME", work.resolve("config-home").toString());
            return new Rpc(pb.start());
        }

        void initialize() throws IOException {
            ObjectNode params = JSON.createObjectNode();
            params.put("protocolVersion", "2025-06-18");
            params.putObject("capabilities");
            params.putObject("clientInfo").put("name", "bench").put("version", "1");
            request("initialize", params);
            send(JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
        }

        JsonNode call(String tool, Map<String, Object> arguments) throws IOException {
            ObjectNode params = JSON.createObjectNode();
            params.put("name", tool);
            params.set("arguments", JSON.valueToTree(arguments));
            return request("tools/call", params);
        }

        JsonNode request(String method, ObjectNode params) throws IOException {
            int id = nextId++;
            ObjectNode msg = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            msg.set("params", params);
            send(msg);
            for (String line; (line = out.readLine()) != null; ) {
                JsonNode m = JSON.readTree(line);
                if (m.has("id") && !m.has("method") && m.get("id").asInt() == id) {
                    if (m.has("error")) {
                        throw new IllegalStateException(method + ": " + m.get("error"));
                    }
                    return m.get("result");
                }
            }
            throw new IllegalStateException("the server closed stdout during " + method);
        }

        void send(JsonNode msg) throws IOException {
            in.write(JSON.writeValueAsBytes(msg));
            in.write('\n');
            in.flush();
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
