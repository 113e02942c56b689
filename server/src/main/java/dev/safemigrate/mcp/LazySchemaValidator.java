package dev.safemigrate.mcp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's JSON Schema validator, built on the first tool call instead of at start: it loads a
 * few hundred classes and the 2020-12 meta-schema, which an agent would otherwise wait for before
 * tools/list is answered. Every argument of every call is still validated by the real validator.
 *
 * The SDK also asks, while the server is built, whether each tool's input schema conforms to the
 * meta-schema. Those schemas are the files packaged from tool-schemas/, the same in every start;
 * ToolSchemasConformTest checks each of them with the SDK's own validator, so the start does not.
 */
final class LazySchemaValidator implements JsonSchemaValidator {

    private volatile JsonSchemaValidator delegate;
    private volatile SchemaRegistry registry;
    private final Map<Map<String, Object>, Schema> argumentSchemas = new ConcurrentHashMap<>();

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    /**
     * A tool call's arguments against the tool's input schema: the SDK validator's checks (the same
     * library, dialect and messages; {@code ArgumentValidationTest} compares the two), without what it
     * adds for a valid input, the whole input serialised to a JSON string that only output validation
     * uses. For a 15 MB create_migration that string cost as much as parsing the request.
     */
    ValidationResponse validateArguments(Map<String, Object> schema, Map<String, Object> arguments) {
        try {
            JsonNode node = JsonMapper.shared().valueToTree(arguments);
            List<com.networknt.schema.Error> errors = argumentSchema(schema).validate(node);
            return errors.isEmpty() ? ValidationResponse.asValid(null)
                    : ValidationResponse.asInvalid("Validation failed: JSON schema validation errors: " + errors);
        } catch (JacksonException e) {
            return ValidationResponse.asInvalid("Error parsing tool JSON Schema: " + e.getMessage());
        } catch (Exception e) {
            return ValidationResponse.asInvalid("Unexpected validation error: " + e.getMessage());
        }
    }

    private Schema argumentSchema(Map<String, Object> schema) {
        return argumentSchemas.computeIfAbsent(schema, s -> registry().getSchema(JsonMapper.shared().valueToTree(s)));
    }

    private SchemaRegistry registry() {
        SchemaRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
                }
                r = registry;
            }
        }
        return r;
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return ValidationResponse.asValid(null);
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = McpJsonDefaults.getSchemaValidator();
                }
                d = delegate;
            }
        }
        return d;
    }
}
