package dev.safemigrate.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

/**
 * The arguments of a tool call are judged exactly as the SDK's validator judges them (same verdict,
 * same message), although {@link LazySchemaValidator#validateArguments} no longer serialises a valid
 * input to a string as the SDK's does.
 */
class ArgumentValidationTest {

    private static final JsonSchemaValidator SDK = McpJsonDefaults.getSchemaValidator();

    private static List<Map<String, Object>> arguments() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(Map.of());
        out.add(Map.of("name", "add_users", "sql", "create table users (id int);"));
        out.add(Map.of("name", "add_users", "sql", "x".repeat(100_000) + "\n\u00e9\"\\", "replaces", "2"));
        out.add(Map.of("name", 42, "sql", "select 1"));
        out.add(Map.of("sql", "select 1"));
        out.add(Map.of("name", "a", "sql", List.of("select 1")));
        out.add(Map.of("name", "a", "sql", "select 1", "unknown", true));
        out.add(Map.of("dry_run", true));
        out.add(Map.of("dry_run", "yes"));
        out.add(Map.of("confirm", "token", "dry_run", false));
        out.add(Map.of("version", "3"));
        out.add(Map.of("version", 3));
        out.add(Map.of("label", "before"));
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("name", null);
        withNull.put("sql", "select 1");
        out.add(withNull);
        out.add(Map.of("nested", Map.of("a", List.of(1, "b", Map.of()))));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "create_migration", "show_sql", "apply_to_dev", "backup"})
    void judgesEveryCallAsTheSdkValidator(String tool) {
        LazySchemaValidator ours = new LazySchemaValidator();
        Map<String, Object> schema = ToolSchemas.input(tool);
        int valid = 0;
        int invalid = 0;
        for (Map<String, Object> args : arguments()) {
            JsonSchemaValidator.ValidationResponse sdk = SDK.validate(schema, args);
            JsonSchemaValidator.ValidationResponse fast = ours.validateArguments(schema, args);
            assertEquals(sdk.valid(), fast.valid(), tool + " " + args.keySet());
            assertEquals(sdk.errorMessage(), fast.errorMessage(), tool + " " + args.keySet());
            if (sdk.valid()) {
                valid++;
            } else {
                invalid++;
            }
        }
        assertTrue(valid > 0 && invalid > 0, tool + ": both verdicts compared (" + valid + " valid, " + invalid + " invalid)");
    }

    @Test
    void rejectsAnArgumentOfTheWrongType() {
        JsonSchemaValidator.ValidationResponse r = new LazySchemaValidator()
                .validateArguments(ToolSchemas.input("create_migration"), Map.of("name", 42, "sql", "select 1"));
        assertFalse(r.valid());
        assertTrue(r.errorMessage().startsWith("Validation failed: JSON schema validation errors: "), r.errorMessage());
    }
}
