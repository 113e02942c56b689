package dev.safemigrate.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.safemigrate.testing.InProcessServer;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** What an agent sees on connecting: exactly five tools, their schemas and annotations, the prompts. */
class McpSurfaceTest {

    @TempDir
    Path root;

    private static final Path SCHEMAS = Path.of("..", "tool-schemas");

    @Test
    void listsExactlyTheFiveToolsWithTheSchemasFromToolSchemas() throws Exception {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("surface"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            List<McpSchema.Tool> tools = s.client.listTools().tools();
            assertEquals(List.of("apply_to_dev", "backup", "create_migration", "show_sql", "status"),
                    tools.stream().map(McpSchema.Tool::name).sorted().toList());
            JsonMapper json = JsonMapper.builder().build();
            for (McpSchema.Tool t : tools) {
                Map<String, Object> input = json.readValue(Files.readString(SCHEMAS.resolve(t.name() + ".input.json")),
                        new TypeReference<Map<String, Object>>() {});
                Map<String, Object> output = json.readValue(Files.readString(SCHEMAS.resolve(t.name() + ".output.json")),
                        new TypeReference<Map<String, Object>>() {});
                assertEquals(input, json.convertValue(t.inputSchema(), new TypeReference<Map<String, Object>>() {}), t.name());
                assertEquals(output, t.outputSchema(), t.name());
                assertTrue(t.description().length() > 120, "an agent needs a description it can act on: " + t.name());
            }
            Map<String, McpSchema.ToolAnnotations> a = tools.stream()
                    .collect(Collectors.toMap(McpSchema.Tool::name, McpSchema.Tool::annotations));
            assertEquals(true, a.get("status").readOnlyHint());
            assertEquals(true, a.get("status").idempotentHint());
            assertEquals(true, a.get("show_sql").readOnlyHint());
            assertEquals(true, a.get("show_sql").idempotentHint());
            assertEquals(true, a.get("apply_to_dev").destructiveHint());
            assertEquals(false, a.get("apply_to_dev").readOnlyHint());
            assertEquals(false, a.get("create_migration").destructiveHint());
            assertEquals(false, a.get("create_migration").readOnlyHint());
            assertEquals(false, a.get("backup").destructiveHint());
            String create = tools.stream().filter(t -> t.name().equals("create_migration")).findFirst().orElseThrow()
                    .description();
            assertTrue(create.contains("16 MiB") && create.contains("Split"), "the message limit and what to do: " + create);
        }
    }

    @Test
    void servesThePromptsFolder() {
        ProjectDir p = ProjectDir.create(root, TestDatabase.create("prompts"), "");
        try (InProcessServer s = InProcessServer.start(p.config())) {
            List<McpSchema.Prompt> prompts = s.client.listPrompts().prompts();
            assertTrue(prompts.stream().anyMatch(x -> x.name().equals("safe-schema-change")), prompts.toString());
            McpSchema.GetPromptResult r = s.client.getPrompt(new McpSchema.GetPromptRequest("safe-schema-change", Map.of()));
            String text = ((McpSchema.TextContent) r.messages().get(0).content()).text();
            for (String step : List.of("status", "backup", "create_migration", "show_sql", "dry_run", "apply_to_dev")) {
                assertTrue(text.contains(step), step);
            }
            assertTrue(text.indexOf("`backup`") < text.indexOf("`create_migration`"));
            assertTrue(text.indexOf("`show_sql`") < text.indexOf("dry_run"));
        }
    }

    @Test
    void schemaFilesAreJsonSchema202012() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.list(SCHEMAS)) {
            List<Path> all = files.toList();
            assertEquals(10, all.size());
            for (Path f : all) {
                Map<String, Object> schema = json.readValue(Files.readString(f), new TypeReference<Map<String, Object>>() {});
                assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema"), f.toString());
                assertEquals("object", schema.get("type"), f.toString());
            }
        }
    }
}
