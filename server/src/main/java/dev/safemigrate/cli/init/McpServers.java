package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** .mcp.json: the project's MCP servers, where Claude Code finds safemigrate. Other servers stay. */
final class McpServers {

    static final String FILE = ".mcp.json";
    static final String SERVER = "safemigrate";

    private McpServers() {}

    static PlannedFile plan(Path root, Path jar) throws SetupException, IOException {
        Path file = root.resolve(FILE);
        ObjectNode json = JsonFile.read(file);
        ObjectNode servers = JsonFile.object(json, "mcpServers", file);
        ObjectNode wanted = servers.objectNode();
        wanted.put("command", "java");
        var args = wanted.putArray("args");
        // the start-up class archive (init makes it); a JVM that finds it missing or stale starts without it
        StartupArchive.jvmOptions(StartupArchive.forJar(jar)).forEach(args::add);
        args.add("-jar").add(jar.toAbsolutePath().normalize().toString()).add("serve");
        JsonNode existing = servers.get(SERVER);
        if (existing != null) {
            // a person may have added --config or changed the java; an older jar path is theirs to update
            return PlannedFile.unchanged(file, existing.equals(wanted) ? "already runs safemigrate"
                    : "has a \"" + SERVER + "\" server already, left as it is (it differs from " + wanted + ")");
        }
        servers.set(SERVER, wanted);
        return new PlannedFile(file, JsonFile.write(json), Files.exists(file)
                ? "added the \"" + SERVER + "\" MCP server" : "created with the \"" + SERVER + "\" MCP server");
    }
}
