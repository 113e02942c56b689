package dev.safemigrate.mcp;

import static dev.safemigrate.testing.ToolCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;
import dev.safemigrate.testing.ToolCalls.Result;

/**
 * Random sequences of what an agent does — tool calls and direct edits of the folder, with
 * subfolders, dotted and timestamp versions — against a real PostgreSQL and a reference model
 * that knows which files exist, with which bytes, and which are applied. After every step:
 * the states agree with flyway_schema_history; no applied file changed or vanished; a successful
 * dry run is followed by a successful apply; every refusal names a next step the agent can take.
 */
class AgentSequencePropertiesTest {

    /** Commands the agent does not have: a hint that advises one sends it around safemigrate. */
    private static final Pattern FORBIDDEN_ADVICE = Pattern.compile(
            "(?i)\\b(repair|baseline|psql)\\b|\\bflyway\\s+(migrate|repair|clean|baseline|validate|info)\\b");
    private static final Pattern MIGRATION = Pattern.compile("V[0-9][0-9._]*__.+\\.sql");

    sealed interface Step permits Create, Replace, ReplaceApplied, EditPending, AddFile, DryRun, Apply, DryRunThenApply, Status, ShowSql {}

    record Create() implements Step {}

    record Replace(int pick) implements Step {}

    record ReplaceApplied(int pick) implements Step {}

    record EditPending(int pick) implements Step {}

    enum Style { TIMESTAMP, DOTTED, UNDERSCORED }

    record AddFile(Style style, String folder) implements Step {}

    record DryRun() implements Step {}

    record Apply() implements Step {}

    /** The agent's usual pair: a dry run, then the apply it predicted. */
    record DryRunThenApply() implements Step {}

    record Status() implements Step {}

    record ShowSql() implements Step {}

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 7);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new Create())),
                net.jqwik.api.Tuple.of(2, pick.map(Replace::new)),
                net.jqwik.api.Tuple.of(2, pick.map(ReplaceApplied::new)),
                net.jqwik.api.Tuple.of(1, pick.map(EditPending::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of(Style.class), Arbitraries.of("", "sub/", "sub/deeper/"))
                        .as(AddFile::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new DryRun())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Apply())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new DryRunThenApply())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Status())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ShowSql())));
        return step.list().ofMinSize(1).ofMaxSize(12);
    }

    /** One migration file as the model knows it. */
    static final class ModelFile {
        final String path;
        final MigrationVersion version;
        final String name;
        String content;
        boolean applied;

        ModelFile(String path, String version, String name, String content) {
            this.path = path;
            this.version = MigrationVersion.fromVersion(version);
            this.name = name;
            this.content = content;
        }

        @Override
        public String toString() {
            return path + (applied ? " (applied)" : " (pending)");
        }
    }

    @Property(tries = 15, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void anAgentsRandomSequenceKeepsFolderHistoryAndAnswersConsistent(@ForAll("sequences") List<Step> steps) throws Exception {
        Path root = Files.createTempDirectory("agent-seq");
        ProjectDir project = ProjectDir.create(root, TestDatabase.create("agent_seq"), "");
        List<ModelFile> model = new ArrayList<>();
        int[] tables = {0};
        boolean dryRunSucceeded = false;
        try (InProcessServer s = InProcessServer.start(project.config())) {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String at = "step " + i + " " + step + " of " + steps + "\nmodel " + model;
                boolean mutates = !(step instanceof DryRun || step instanceof Status || step instanceof ShowSql);
                    if (step instanceof Create c) {
                        String name = "t" + (++tables[0]);
                        Result r = call(s.client, "create_migration", "name", name, "sql", "create table " + name + " (id int);");
                        assertOk(r, at);
                        model.add(new ModelFile((String) r.get("path"), (String) r.get("version"), name,
                                "create table " + name + " (id int);\n"));
                    } else if (step instanceof Replace r) {
                        List<ModelFile> pending = model.stream().filter(f -> !f.applied).toList();
                        if (pending.isEmpty()) {
                            continue;
                        }
                        ModelFile old = pending.get(r.pick() % pending.size());
                        String table = "t" + (++tables[0]);
                        Result res = call(s.client, "create_migration", "name", old.name, "sql",
                                "create table " + table + " (id int);", "replaces", raw(old));
                        assertOk(res, at);
                        assertEquals(old.path, res.get("replaced.path"), at);
                        model.remove(old);
                        model.add(new ModelFile((String) res.get("path"), (String) res.get("version"), old.name,
                                "create table " + table + " (id int);\n"));
                    } else if (step instanceof ReplaceApplied r) {
                        List<ModelFile> applied = model.stream().filter(f -> f.applied).toList();
                        if (applied.isEmpty()) {
                            continue;
                        }
                        ModelFile old = applied.get(r.pick() % applied.size());
                        Result res = call(s.client, "create_migration", "name", old.name, "sql",
                                "create table never_" + (++tables[0]) + " (id int);", "replaces", raw(old));
                        assertEquals("MIGRATION_APPLIED", res.errorCode(), at + "\n" + res);
                        net.jqwik.api.statistics.Statistics.label("replace of an applied file refused").collect(true);
                        assertHintIsAStepTheAgentCanTake(res, at);
                    } else if (step instanceof EditPending e) {
                        List<ModelFile> pending = model.stream().filter(f -> !f.applied).toList();
                        if (pending.isEmpty()) {
                            continue;
                        }
                        ModelFile f = pending.get(e.pick() % pending.size());
                        f.content = f.content + "-- edited by the agent\n";
                        Files.writeString(root.resolve(f.path), f.content);
                    } else if (step instanceof AddFile a) {
                        String name = "t" + (++tables[0]);
                        String version = nextVersion(model, a.style());
                        String path = "db/migrations/" + a.folder() + "V" + version + "__" + name + ".sql";
                        Files.createDirectories(root.resolve(path).getParent());
                        Files.writeString(root.resolve(path), "create table " + name + " (id int);\n");
                        model.add(new ModelFile(path, version, name, "create table " + name + " (id int);\n"));
                    } else if (step instanceof DryRun d) {
                        Result r = call(s.client, "apply_to_dev", "dry_run", true);
                        assertOk(r, at);
                        dryRunSucceeded = true;
                    } else if (step instanceof Apply a) {
                        Result r = call(s.client, "apply_to_dev");
                        net.jqwik.api.statistics.Statistics.label("apply right after a successful dry run")
                                .collect(dryRunSucceeded);
                        assertFalse(r.isError(), (dryRunSucceeded ? "a successful dry run was followed by a failed apply: "
                                : "") + at + "\n" + r);
                        model.forEach(f -> f.applied = true);
                    } else if (step instanceof DryRunThenApply) {
                        Result dry = call(s.client, "apply_to_dev", "dry_run", true);
                        assertOk(dry, at);
                        Result r = call(s.client, "apply_to_dev");
                        assertFalse(r.isError(), "a successful dry run was followed by a failed apply: " + at + "\n" + r);
                        model.forEach(f -> f.applied = true);
                    } else if (step instanceof Status st) {
                        Result r = call(s.client, "status");
                        assertOk(r, at);
                        assertEquals(true, r.get("validation.valid"), at + "\n" + r);
                        Map<String, String> states = new TreeMap<>();
                        r.list("migrations").forEach(m -> states.put((String) m.get("version"), (String) m.get("state")));
                        Map<String, String> expected = new TreeMap<>();
                        model.forEach(f -> expected.put(f.version.getVersion(), f.applied ? "applied" : "pending"));
                        assertEquals(expected, states, at);
                    } else if (step instanceof ShowSql sh) {
                        Result r = call(s.client, "show_sql", "pending", true);
                        assertOk(r, at);
                        Map<String, String> shown = new TreeMap<>();
                        r.list("migrations").forEach(m -> shown.put((String) m.get("version"), (String) m.get("sql")));
                        Map<String, String> expected = new TreeMap<>();
                        model.stream().filter(f -> !f.applied).forEach(f -> expected.put(f.version.getVersion(), f.content));
                        assertEquals(expected, shown, at);
                    }
                if (mutates) {
                    dryRunSucceeded = false;
                }
                assertHistoryAgrees(project, model, at);
                assertFolderAgrees(root, project, model, at);
            }
        } finally {
            deleteTree(root);
        }
    }

    private static String raw(ModelFile f) {
        String file = Path.of(f.path).getFileName().toString();
        return file.substring(1, file.indexOf("__"));
    }

    /** Above every version in the model, written in the given style. */
    private static String nextVersion(List<ModelFile> model, Style style) {
        BigInteger major = model.stream().map(f -> new BigInteger(f.version.getVersion().split("\\.")[0]))
                .max(Comparator.naturalOrder()).orElse(BigInteger.ZERO).add(BigInteger.ONE);
        return switch (style) {
            case TIMESTAMP -> major.max(new BigInteger(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                    .format(LocalDateTime.now(ZoneOffset.UTC)))).toString();
            case DOTTED -> major + ".1";
            case UNDERSCORED -> major + "_2";
        };
    }

    private static void assertOk(Result r, String at) {
        if (r.isError()) {
            assertHintIsAStepTheAgentCanTake(r, at);
        }
        assertFalse(r.isError(), at + "\n" + r);
    }

    private static void assertHintIsAStepTheAgentCanTake(Result r, String at) {
        Object hint = r.get("error.hint");
        assertNotNull(hint, "a refusal names a next step: " + at + "\n" + r);
        assertFalse(((String) hint).isBlank(), at);
        assertFalse(FORBIDDEN_ADVICE.matcher((String) hint).find(), "advises a command the agent does not have: " + hint);
    }

    private static void assertHistoryAgrees(ProjectDir project, List<ModelFile> model, String at) throws Exception {
        TreeSet<String> recorded = new TreeSet<>();
        try (Connection c = TestDatabase.connect(project.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select version, success from flyway_schema_history "
                     + "where pg_catalog.to_regclass('public.flyway_schema_history') is not null and version is not null")) {
            while (rs.next()) {
                assertTrue(rs.getBoolean(2), "a failed migration in the history: " + rs.getString(1) + " " + at);
                recorded.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // no history yet: nothing applied
                throw e;
            }
        }
        TreeSet<String> applied = new TreeSet<>();
        model.stream().filter(f -> f.applied).forEach(f -> applied.add(f.version.getVersion()));
        assertEquals(applied, recorded, "flyway_schema_history vs the model: " + at);
    }

    private static void assertFolderAgrees(Path root, ProjectDir project, List<ModelFile> model, String at) throws IOException {
        Map<String, String> onDisk = new TreeMap<>();
        if (Files.isDirectory(project.migrations())) {
            try (Stream<Path> s = Files.walk(project.migrations())) {
                for (Path p : s.filter(p -> MIGRATION.matcher(p.getFileName().toString()).matches()).toList()) {
                    onDisk.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        model.forEach(f -> expected.put(f.path, f.content));
        assertEquals(expected, onDisk, "the folder vs the model (an applied file changed or vanished?): " + at);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
