package dev.safemigrate.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

/**
 * Every packaged tool schema conforms to the JSON Schema 2020-12 meta-schema, checked by the SDK's
 * own validator: the check the SDK would make at every start, which LazySchemaValidator leaves to
 * this test so that tools/list is answered sooner.
 */
class ToolSchemasConformTest {

    private static final JsonSchemaValidator SDK = McpJsonDefaults.getSchemaValidator();

    @ParameterizedTest
    @ValueSource(strings = {"status", "create_migration", "show_sql", "apply_to_dev", "backup"})
    void inputAndOutputSchemasConformToTheMetaSchema(String tool) {
        for (Map<String, Object> schema : new Map[] {ToolSchemas.input(tool), ToolSchemas.output(tool)}) {
            JsonSchemaValidator.ValidationResponse r = SDK.validateSchema(schema);
            assertTrue(r.valid(), tool + ": " + r.errorMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void theSdkValidatorRejectsASchemaThatDoesNotConform() {
        assertFalse(SDK.validateSchema(Map.of("type", "no-such-type")).valid(), "the check above can fail");
    }
}
