package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Reading;
import dev.safemigrate.analysis.StatementAnalysis;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.TestConfigHome;

/**
 * The idle warm-up reaches what a first call loads, and only by reading made-up SQL: it writes
 * nothing in the project, connects to no database, and leaves the analysis answering as before.
 */
class FirstCallWarmupTest {

    @TempDir
    Path root;

    @Test
    void theSampleTakesEachPathOfTheAnalysis() {
        MigrationAnalysis a = new MigrationAnalyzer().analyze(FirstCallWarmup.SAMPLE, "app_dev");
        Set<String> kinds = a.statements().stream().map(StatementAnalysis::kind).collect(Collectors.toSet());
        // lexical DDL, JSqlParser's DML and view, dollar-quoted bodies, a table the sample did not create
        assertTrue(kinds.containsAll(Set.of("create_table", "create_index", "alter_table.add_column",
                "alter_table.validate_constraint", "insert", "update", "delete", "create_view", "create_function",
                "create_trigger", "do_block", "alter_table.drop_column")), kinds.toString());
        assertFalse(kinds.contains(Reading.OPAQUE), "every statement understood: " + kinds);
        assertTrue(a.findings().size() >= 5, "the rules judge it: " + a.findings());
    }

    @Test
    void everyClassListedForTheFirstCallExists() {
        List<String> listed = FirstCallWarmup.firstCallClasses();
        assertTrue(listed.size() > 100, "the list is packaged: " + listed.size());
        // a dependency upgrade that renames them leaves the list stale: make it again (see its header)
        assertEquals(List.of(), FirstCallWarmup.loadClasses(listed));
    }

    @Test
    void loadingTouchesNeitherTheProjectNorADatabase() throws Exception {
        // nothing listens on port 1: a connection attempt, Flyway's included, would throw
        Files.writeString(root.resolve("safemigrate.toml"), """
                [migrations]
                dir = "db/migrations"

                [dev]
                url = "jdbc:postgresql://127.0.0.1:1/app_dev"
                user = "app"
                """);
        Config config = new ConfigLoader(name -> null, TestConfigHome.dir()).load(null, root);
        List<Path> before = tree(root);
        try (Project project = Project.open(config)) {
            MigrationAnalysis expected = project.analyzer().analyze(FirstCallWarmup.SAMPLE + "drop table t;\n", "app_dev");
            FirstCallWarmup warmup = new FirstCallWarmup(project);
            warmup.loadFlyway();
            warmup.loadFirstCallClasses();
            assertFalse(warmup.sampleAnswer(warmup.analyse()).isError());
            assertEquals(expected, project.analyzer().analyze(FirstCallWarmup.SAMPLE + "drop table t;\n", "app_dev"),
                    "the analysis answers after the warm-up as before it");
        }
        assertEquals(before, tree(root), "no file written or removed");
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
