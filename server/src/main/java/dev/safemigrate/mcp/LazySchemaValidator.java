package dev.safemigrate.mcp;

import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

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

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
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
