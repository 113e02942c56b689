package dev.safemigrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.cli.init.ArchiveLauncher;
import dev.safemigrate.cli.init.StartupArchive;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.testing.TestConfigHome;

class InitCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;
    @TempDir
    Path install;
    Path jar;

    @BeforeEach
    void aJar() throws Exception {
        jar = Files.writeString(install.resolve("safemigrate.jar"), "not really a jar");
    }

    @Test
    void setsUpAnEmptyProject() throws Exception {
        CommandRun r = init();
        assertEquals(0, r.exit(), r.toString());

        Config config = new ConfigLoader(name -> null).load(null, root);
        assertEquals(root.resolve("db/migrations"), config.migrations().dir());
        assertTrue(config.dev().embedded(), "the one-minute default");
        assertTrue(Files.readString(root.resolve("safemigrate.toml")).contains("# url = \"jdbc:postgresql://"));

        assertEquals(".safemigrate/\n", Files.readString(root.resolve(".gitignore")));

        JsonNode server = JSON.readTree(root.resolve(".mcp.json").toFile()).at("/mcpServers/safemigrate");
        assertEquals("sh", server.get("command").asString());
        Path archive = StartupArchive.forJar(jar);
        assertTrue(archive.startsWith(Path.of(System.getenv("XDG_CACHE_HOME"))), "the user's cache folder: " + archive);
        Path record = ArchiveLauncher.record(TestConfigHome.dir(), archive);
        List<String> args = strings(server.get("args"));
        assertEquals(List.of("-c", args.get(1), "safemigrate", archive.toString(), record.toString(), "java", "-Xshare:auto",
                "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString(),
                "serve"), args, "the launcher adds the archive only when it is the one init recorded");

        List<String> deny = strings(JSON.readTree(root.resolve(".claude/settings.json").toFile()).at("/permissions/deny"));
        for (String rule : List.of("Bash(prisma db push:*)", "Bash(npx prisma db push:*)", "Bash(prisma migrate reset:*)",
                "Bash(prisma migrate deploy:*)", "Bash(prisma migrate dev:*)", "Bash(flyway clean:*)",
                "Bash(flyway migrate:*)", "Bash(flyway repair:*)", "Bash(psql:*)", "Bash(pg_restore:*)", "Bash(dropdb:*)")) {
            assertTrue(deny.contains(rule), rule + " in " + deny);
        }
        // the keys and the passwords are not the agent's to read
        for (String rule : List.of("Read(./.env)", "Read(./.env.*)",
                "Read(/" + TestConfigHome.dir().toAbsolutePath().normalize().resolve("safemigrate") + "/**)")) {
            assertTrue(deny.contains(rule), rule + " in " + deny);
        }

        // and Bash commands, in Claude Code's sandbox, may neither read the keys nor write the archive
        JsonNode filesystem = JSON.readTree(root.resolve(".claude/settings.json").toFile()).at("/sandbox/filesystem");
        assertTrue(strings(filesystem.get("denyRead")).contains("/" + TestConfigHome.dir().toAbsolutePath().normalize()
                .resolve("safemigrate")), filesystem.toString());
        assertTrue(strings(filesystem.get("denyWrite")).contains("/" + archive.getParent()), filesystem.toString());

        String claudeMd = Files.readString(root.resolve("CLAUDE.md"));
        assertTrue(claudeMd.startsWith("<!-- safemigrate:begin -->"), claudeMd);
        assertTrue(claudeMd.contains("Never** run `psql`") && claudeMd.strip().endsWith("<!-- safemigrate:end -->"), claudeMd);
        assertTrue(claudeMd.contains("apply_to_dev"), claudeMd);
        assertTrue(r.out().contains("Next: restart your MCP client"), r.out());
    }

    @Test
    void runningItAgainChangesNothing() throws Exception {
        assertEquals(0, init().exit());
        Map<String, String> before = snapshot();
        CommandRun second = init();
        assertEquals(0, second.exit(), second.toString());
        assertEquals(before, snapshot());
        assertTrue(second.out().contains("Nothing to do"), second.out());
        assertEquals(5, second.out().lines().filter(l -> l.contains("unchanged:")).count(), second.out());
    }

    @Test
    void mergesIntoWhatIsThereWithoutClobberingIt() throws Exception {
        Files.writeString(root.resolve(".mcp.json"), """
                {"mcpServers": {"github": {"command": "gh-mcp", "args": ["--stdio"]}}, "note": "kept"}""");
        Files.createDirectories(root.resolve(".claude"));
        Files.writeString(root.resolve(".claude/settings.json"), """
                {"model": "opus", "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Bash(rm -rf:*)", "Bash(psql:*)"]}}""");
        Files.writeString(root.resolve("CLAUDE.md"), "# My project\n\nUse tabs.");
        Files.writeString(root.resolve(".gitignore"), "node_modules/\n.env");
        Files.writeString(root.resolve("safemigrate.toml"), "[dev]\nurl = \"jdbc:postgresql://localhost/mine\"\n");

        CommandRun r = init();
        assertEquals(0, r.exit(), r.toString());

        assertEquals("[dev]\nurl = \"jdbc:postgresql://localhost/mine\"\n", Files.readString(root.resolve("safemigrate.toml")));
        JsonNode mcp = JSON.readTree(root.resolve(".mcp.json").toFile());
        assertEquals("gh-mcp", mcp.at("/mcpServers/github/command").asString());
        assertEquals("kept", mcp.get("note").asString());
        assertEquals("sh", mcp.at("/mcpServers/safemigrate/command").asString());

        JsonNode settings = JSON.readTree(root.resolve(".claude/settings.json").toFile());
        assertEquals("opus", settings.get("model").asString());
        assertEquals(List.of("Bash(npm test:*)"), strings(settings.at("/permissions/allow")));
        List<String> deny = strings(settings.at("/permissions/deny"));
        assertEquals(List.of("Bash(rm -rf:*)", "Bash(psql:*)"), deny.subList(0, 2), "existing rules first, unchanged");
        assertEquals(1, deny.stream().filter("Bash(psql:*)"::equals).count(), "no duplicates");
        assertTrue(deny.contains("Bash(flyway clean:*)"));

        String claudeMd = Files.readString(root.resolve("CLAUDE.md"));
        assertTrue(claudeMd.startsWith("# My project\n\nUse tabs.\n\n<!-- safemigrate:begin -->"), claudeMd);
        assertEquals("node_modules/\n.env\n.safemigrate/\n", Files.readString(root.resolve(".gitignore")));

        Map<String, String> merged = snapshot();
        assertEquals(0, init().exit());
        assertEquals(merged, snapshot(), "idempotent after a merge too");
    }

    @Test
    void leavesAnExistingSafemigrateServerAsItIs() throws Exception {
        String mine = "{\"mcpServers\": {\"safemigrate\": {\"command\": \"java\", \"args\": [\"-jar\", \"/opt/old.jar\", \"serve\"]}}}\n";
        Files.writeString(root.resolve(".mcp.json"), mine);
        CommandRun r = init();
        assertEquals(0, r.exit(), r.toString());
        assertEquals(mine, Files.readString(root.resolve(".mcp.json")));
        assertTrue(r.out().contains("has a \"safemigrate\" server already, left as it is"), r.out());
    }

    /** An .mcp.json an earlier init wrote mapped the archive unchecked: init replaces exactly that, nothing a person wrote. */
    @Test
    void replacesTheUncheckedArchiveAnEarlierInitWroteForThisJar() throws Exception {
        Path archive = StartupArchive.forJar(jar);
        Files.writeString(root.resolve(".mcp.json"), "{\"mcpServers\": {\"safemigrate\": {\"command\": \"java\", \"args\": ["
                + "\"-XX:SharedArchiveFile=" + archive + "\", \"-Xshare:auto\", \"-Xlog:disable\", \"-Xlog:all=warning:stderr\", "
                + "\"-XX:TieredStopAtLevel=1\", \"-XX:+UseSerialGC\", \"-jar\", \"" + jar.toAbsolutePath() + "\", \"serve\"]}}}");
        CommandRun r = init();
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("replaced the \"safemigrate\" server an earlier init wrote"), r.out());
        assertEquals("sh", JSON.readTree(root.resolve(".mcp.json").toFile()).at("/mcpServers/safemigrate/command").asString());

        String mine = "{\"mcpServers\": {\"safemigrate\": {\"command\": \"java\", \"args\": [\"-jar\", \""
                + jar.toAbsolutePath() + "\", \"serve\"], \"env\": {}}}}\n";
        Files.writeString(root.resolve(".mcp.json"), mine);
        assertEquals(0, init().exit());
        assertEquals(mine, Files.readString(root.resolve(".mcp.json")), "what claude mcp add wrote stays");
    }

    @Test
    void pointsAtAnExistingFlywayFolderAndItsVersioning() throws Exception {
        Path flyway = Files.createDirectories(root.resolve("src/main/resources/db/migration"));
        Files.writeString(flyway.resolve("V1__init.sql"), "create table a (id int);");
        Files.writeString(flyway.resolve("V2__more.sql"), "create table b (id int);");
        Files.createDirectories(root.resolve("migrations"));
        assertEquals(0, init().exit());
        Config config = new ConfigLoader(name -> null).load(null, root);
        assertEquals(flyway, config.migrations().dir());
        assertEquals(Config.Versioning.SEQUENCE, config.migrations().versioning());
    }

    @Test
    void aPrismaProjectKeepsPrismasFolderAndHistoryAndMayRunOnlyTheReadOnlyDiff() throws Exception {
        Path prisma = Files.createDirectories(root.resolve("prisma/migrations/20261101000000_init"));
        Files.writeString(prisma.resolve("migration.sql"), "create table a (id int);");
        CommandRun r = init();
        assertEquals(0, r.exit(), r.toString());
        String toml = Files.readString(root.resolve("safemigrate.toml"));
        assertTrue(toml.contains("dir = \"prisma/migrations\""), toml);
        assertTrue(toml.contains("<timestamp>_<name>/migration.sql"), toml);
        assertTrue(toml.contains("layout = \"prisma\""), toml);
        assertTrue(r.out().contains("Prisma's folder"), r.out());
        dev.safemigrate.config.Config config = new ConfigLoader(n -> null).load(null, root);
        assertEquals(root.resolve("prisma/migrations"), config.migrations().dir());
        assertEquals(dev.safemigrate.config.Config.Layout.PRISMA, config.migrations().layout());
        assertFalse(Files.exists(root.resolve("db/migrations")), "nothing is copied: Prisma keeps its folder");
        String settings = Files.readString(root.resolve(".claude/settings.json"));
        assertTrue(settings.contains("\"allow\""), settings);
        assertTrue(settings.contains("Bash(npx prisma migrate diff --from-config-datasource --to-schema prisma/schema.prisma "
                + "--script)"), settings);
        for (String denied : List.of("migrate dev", "migrate deploy", "migrate reset", "migrate resolve", "db push",
                "db execute")) {
            assertTrue(settings.contains("Bash(npx prisma " + denied + ":*)"), denied);
        }
    }

    @Test
    void aFileItCannotMergeStopsItBeforeAnythingIsWritten() throws Exception {
        Files.createDirectories(root.resolve(".claude"));
        Files.writeString(root.resolve(".claude/settings.json"), "{ \"permissions\": ");
        CommandRun r = init();
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains(".claude/settings.json is not valid JSON"), r.err());
        assertTrue(r.err().contains("Nothing was written"), r.err());
        assertFalse(Files.exists(root.resolve("safemigrate.toml")));
        assertFalse(Files.exists(root.resolve(".mcp.json")));
        assertFalse(Files.exists(root.resolve("CLAUDE.md")));
    }

    @Test
    void withoutAJarToNameItAsksForOne() throws Exception {
        // the tests run from classes, not a jar
        CommandRun r = CommandRun.of(new InitCommand(), root, Terminal.NONE);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("pass --jar"), r.err());
        assertFalse(Files.exists(root.resolve(".mcp.json")));
    }

    private CommandRun init() throws Exception {
        return CommandRun.of(new InitCommand(), root, Terminal.NONE, "--jar", jar.toString());
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
