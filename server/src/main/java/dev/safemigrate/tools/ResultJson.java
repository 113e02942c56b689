package dev.safemigrate.tools;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our records as the agent receives them: snake_case names as in tool-schemas/, absent rather than
 * null for optional fields, unknown input fields rejected. Here rather than in mcp/ because the
 * tools measure their own results against the agent's budget ({@link Budget}) in these same bytes.
 */
public final class ResultJson {

    public static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResultJson() {}

    /** The length of the compact JSON an agent's client stringifies, in characters. */
    public static int length(Object value) {
        return JSON.writeValueAsString(value).length();
    }
}
