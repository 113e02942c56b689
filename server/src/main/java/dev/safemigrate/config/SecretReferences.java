package dev.safemigrate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${dotenv:FILE:NAME}} in configuration values.
 * The environment is only ever read through an explicit reference: an implicit
 * {@code DATABASE_URL} silently pointing at production is the incident this tool exists for.
 */
public final class SecretReferences {

    static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|dotenv):([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> environment;
    private final Path baseDir;
    private final Map<Path, Map<String, String>> dotenvFiles = new HashMap<>();
    private final List<Resolved> resolved = new ArrayList<>();

    /** One reference resolved for one configuration key: the value must never be shown. */
    public record Resolved(String key, String value) {
        @Override
        public String toString() {
            return "Resolved[key=" + key + "]";
        }
    }

    public SecretReferences(Function<String, String> environment, Path baseDir) {
        this.environment = environment;
        this.baseDir = baseDir;
    }

    /** @param key the configuration key, for the error message */
    public String resolve(String key, String value, Path configFile) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = m.group(1).equals("env")
                    ? fromEnvironment(key, m.group(2), configFile)
                    : fromDotenv(key, m.group(2), configFile);
            this.resolved.add(new Resolved(key, resolved));
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        String result = out.toString();
        if (result.contains("${")) {
            throw new ConfigException("'" + key + "' in " + configFile + " has a reference that is not of the form "
                    + "${env:NAME} or ${dotenv:FILE:NAME}: " + value);
        }
        return result;
    }

    /** Every value resolved so far, with the key it was resolved for. */
    public List<Resolved> resolved() {
        return List.copyOf(resolved);
    }

    private String fromEnvironment(String key, String name, Path configFile) {
        requireName(key, name, configFile);
        String value = environment.apply(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigException("'" + key + "' in " + configFile + " references ${env:" + name
                    + "}, but the environment variable " + name + " is not set (or empty). Set it, or change the reference.");
        }
        return value;
    }

    private String fromDotenv(String key, String reference, Path configFile) {
        int colon = reference.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("'" + key + "' in " + configFile + " has ${dotenv:" + reference
                    + "}; the form is ${dotenv:FILE:NAME}, e.g. ${dotenv:.env.local:DEV_DB_PASSWORD}");
        }
        Path file = baseDir.resolve(reference.substring(0, colon)).normalize();
        String name = reference.substring(colon + 1);
        requireName(key, name, configFile);
        String value = dotenv(key, file, configFile).get(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigException("'" + key + "' in " + configFile + " references " + name + " in " + file
                    + ", but that file does not define it (or defines it empty).");
        }
        return value;
    }

    private Map<String, String> dotenv(String key, Path file, Path configFile) {
        return dotenvFiles.computeIfAbsent(file, f -> {
            if (!Files.isRegularFile(f)) {
                throw new ConfigException("'" + key + "' in " + configFile + " references the file " + f
                        + ", which does not exist.");
            }
            try {
                return DotenvFile.parse(Files.readString(f));
            } catch (IOException e) {
                throw new ConfigException("'" + key + "' in " + configFile + ": cannot read " + f + ": " + e.getMessage());
            }
        });
    }

    private static void requireName(String key, String name, Path configFile) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("'" + key + "' in " + configFile + " references '" + name
                    + "', which is not a variable name");
        }
    }
}
