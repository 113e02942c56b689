package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** .mcp.json: the project's MCP servers, where Claude Code finds safemigrate. Other servers stay. */
final class McpServers {

    static final String FILE = ".mcp.json";
    static final String SERVER = "safemigrate";

    private McpServers() {}

    static PlannedFile plan(Path root, Path jar, Path userConfigHome) throws SetupException, IOException {
        Path file = root.resolve(FILE);
        ObjectNode json = JsonFile.read(file);
        ObjectNode servers = JsonFile.object(json, "mcpServers", file);
        Path archive = StartupArchive.forJar(jar);
        // the start-up class archive (init makes it), mapped only when it is the file init made
        List<String> command = ArchiveLauncher.command("java", archive, ArchiveLauncher.record(userConfigHome, archive), jar);
        ObjectNode wanted = servers.objectNode();
        wanted.put("command", command.get(0));
        var args = wanted.putArray("args");
        command.subList(1, command.size()).forEach(args::add);
        JsonNode existing = servers.get(SERVER);
        if (existing != null && !writtenByAnEarlierInit(existing, jar)) {
            // a person may have added --config or changed the java; an older jar path is theirs to update
            return PlannedFile.unchanged(file, existing.equals(wanted) ? "already runs safemigrate"
                    : "has a \"" + SERVER + "\" server already, left as it is (it differs from " + wanted + ")");
        }
        servers.set(SERVER, wanted);
        return new PlannedFile(file, JsonFile.write(json), existing != null
                ? "replaced the \"" + SERVER + "\" server an earlier init wrote: it now maps the start-up archive only "
                        + "when it is the file init made"
                : Files.exists(file) ? "added the \"" + SERVER + "\" MCP server" : "created with the \"" + SERVER + "\" MCP server");
    }

    /**
     * Exactly what an earlier init wrote for this jar: {@code java}, the unchecked archive and only
     * the other JVM options init wrote (sharing, logging, collector, JIT tier), {@code -jar JAR
     * serve}. Those mapped the archive unchecked, so they are replaced; a line a person wrote (such
     * as the README's {@code claude mcp add … java -jar JAR serve}) or changed is not.
     */
    private static boolean writtenByAnEarlierInit(JsonNode server, Path jar) {
        if (!"java".equals(server.path("command").asString(null)) || !server.path("args").isArray()) {
            return false;
        }
        List<String> args = new ArrayList<>();
        server.path("args").forEach(a -> args.add(a.isString() ? a.asString() : "\0"));
        int n = args.size();
        if (n < 3 || !args.subList(n - 3, n).equals(List.of("-jar", jar.toAbsolutePath().normalize().toString(), "serve"))) {
            return false;
        }
        List<String> options = args.subList(0, n - 3);
        return options.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="))
                && options.stream().allMatch(o -> o.startsWith("-XX:SharedArchiveFile=")
                || List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1").contains(o));
    }
}
