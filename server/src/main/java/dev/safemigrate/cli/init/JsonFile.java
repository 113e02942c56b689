package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON settings file another tool owns (.mcp.json, .claude/settings.json): read as a tree that
 * keeps every key it has, and written back in the two-space style those tools write.
 */
final class JsonFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("")
            .withArrayEmptySeparator("")).withObjectIndenter(INDENT).withArrayIndenter(INDENT);

    private JsonFile() {}

    /** @return the file's object, or an empty one when the file does not exist or is blank */
    static ObjectNode read(Path file) throws SetupException, IOException {
        if (!Files.exists(file) || Files.readString(file).isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new SetupException(file + " is not valid JSON (" + e.getOriginalMessage() + "); fix it, then run "
                    + "safemigrate init again. Nothing was written.");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new SetupException(file + " is not a JSON object; fix it, then run safemigrate init again. "
                    + "Nothing was written.");
        }
        return object;
    }

    static String write(ObjectNode node) {
        return JSON.writer().with(PRETTY).writeValueAsString(node) + "\n";
    }

    /** The object under {@code key}, created when absent; an error when something else is there. */
    static ObjectNode object(ObjectNode parent, String key, Path file) throws SetupException {
        JsonNode child = parent.get(key);
        if (child == null || child.isNull()) {
            return parent.putObject(key);
        }
        if (child instanceof ObjectNode o) {
            return o;
        }
        throw new SetupException("\"" + key + "\" in " + file + " is not a JSON object; fix it, then run safemigrate "
                + "init again. Nothing was written.");
    }
}
