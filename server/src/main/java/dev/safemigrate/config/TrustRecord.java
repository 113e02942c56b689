package dev.safemigrate.config;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's approval of a configuration's {@link PolicySettings}, made at a terminal by
 * {@code safemigrate trust} (or init and mark-dev at a terminal), kept in the project's
 * {@link KeyFolder} outside the project: {@code approved-<config file name>.json}, mode 0600.
 * No tool writes it; the server only reads it, before each write, and refuses to write with
 * settings that differ from it.
 *
 * <p>The file holds the settings themselves, not only their digest, so a refusal can name each
 * setting that changed and what it was. The digest is checked when it is read: a record edited by
 * hand is not an approval.
 *
 * @param configFile the file that was approved; null for the embedded default (no file)
 * @param approvedBy the operating-system user who answered yes
 */
public record TrustRecord(String configFile, Instant approvedAt, String approvedBy, PolicySettings settings) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int FORMAT = 1;

    /** The approval of {@code config} as it is now. */
    public static TrustRecord of(Config config, String approvedBy, Instant approvedAt) {
        return new TrustRecord(config.source() == null ? null : config.source().toString(), approvedAt, approvedBy,
                config.policySettings());
    }

    /**
     * One record per configuration file name in a project: the file a missing configuration would be
     * read from is {@code safemigrate.toml}, so deleting an approved file finds that file's approval.
     */
    public static String fileName(Config config) {
        String name = config.source() == null ? ConfigLoader.FILE_NAME : config.source().getFileName().toString();
        return "approved-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    public static Path file(Config config) {
        return config.keys().file(fileName(config));
    }

    /**
     * @return the approval recorded for this configuration's file, if any
     * @throws ConfigException when a record is there but cannot be read, or does not match its digest
     */
    public static Optional<TrustRecord> read(Config config) {
        Path file = file(config);
        Optional<String> text;
        try {
            text = config.keys().read(fileName(config));
        } catch (IOException e) {
            throw new ConfigException("cannot read the approval record " + file + ": " + e.getMessage());
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(text.get());
            Map<String, String> values = new LinkedHashMap<>();
            for (var entry : root.path("settings").properties()) {
                if (!entry.getValue().isString()) {
                    throw new ConfigException("the approval record " + file + " is damaged: setting " + entry.getKey()
                            + " is not text");
                }
                values.put(entry.getKey(), entry.getValue().asString());
            }
            PolicySettings settings = new PolicySettings(values);
            if (!settings.digest().equals(root.path("digest").asString(""))) {
                throw new ConfigException("the approval record " + file + " does not match its digest: it was edited");
            }
            JsonNode configFile = root.get("config_file");
            return Optional.of(new TrustRecord(configFile == null || configFile.isNull() ? null : configFile.asString(),
                    Instant.parse(root.path("approved_at").asString("")), root.path("approved_by").asString(""), settings));
        } catch (JacksonException | DateTimeParseException | IllegalArgumentException e) {
            throw new ConfigException("the approval record " + file + " is damaged (" + e.getMessage() + ")");
        }
    }

    /** Replaces the project's record for this configuration's file with this one, in one step (0600). */
    public void write(Config config) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("config_file", configFile);
        root.put("approved_at", approvedAt.toString());
        root.put("approved_by", approvedBy);
        root.put("digest", settings.digest());
        ObjectNode values = root.putObject("settings");
        settings.values().forEach(values::put);
        config.keys().write(fileName(config), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}
