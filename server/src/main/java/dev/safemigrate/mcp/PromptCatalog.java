package dev.safemigrate.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The prompts in prompts/: markdown with a small front matter ({@code name}, {@code title},
 * {@code description}) between {@code ---} lines; the body is the prompt text.
 */
final class PromptCatalog {

    /** Listed in prompts/index.txt, since a jar cannot be listed like a folder. */
    private static final String INDEX = "/prompts/index.txt";

    record Prompt(String name, String title, String description, String body) {}

    private PromptCatalog() {}

    static List<Prompt> load() {
        List<Prompt> prompts = new ArrayList<>();
        for (String file : read(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            prompts.add(parse(file, read("/prompts/" + file)));
        }
        return prompts;
    }

    static Prompt parse(String file, String text) {
        if (!text.startsWith("---\n")) {
            throw new IllegalStateException("prompts/" + file + " must start with a --- front matter block");
        }
        int end = text.indexOf("\n---\n", 4);
        if (end < 0) {
            throw new IllegalStateException("prompts/" + file + ": front matter is not closed with ---");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : text.substring(4, end).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                meta.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        String name = meta.get("name");
        if (name == null) {
            throw new IllegalStateException("prompts/" + file + ": front matter needs a name");
        }
        return new Prompt(name, meta.get("title"), meta.get("description"), text.substring(end + 5).strip());
    }

    static McpServerFeatures.SyncPromptSpecification specification(Prompt p) {
        McpSchema.Prompt prompt = new McpSchema.Prompt(p.name(), p.title(), p.description(), List.of());
        return new McpServerFeatures.SyncPromptSpecification(prompt, (exchange, request) ->
                new McpSchema.GetPromptResult(p.description(), List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                        new McpSchema.TextContent(p.body())))));
    }

    private static String read(String resource) {
        try (InputStream in = PromptCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .collect(Collectors.joining("\n")) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
