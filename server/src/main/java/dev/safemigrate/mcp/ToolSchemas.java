package dev.safemigrate.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The JSON Schemas in tool-schemas/, packaged into the jar; the server serves exactly these. */
public final class ToolSchemas {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolSchemas() {}

    public static Map<String, Object> input(String tool) {
        return load(tool + ".input.json");
    }

    public static Map<String, Object> output(String tool) {
        return load(tool + ".output.json");
    }

    private static Map<String, Object> load(String file) {
        try (InputStream in = ToolSchemas.class.getResourceAsStream("/tool-schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("tool-schemas/" + file + " is missing from the jar");
            }
            return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
