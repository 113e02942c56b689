package dev.safemigrate.config;

/** A configuration the server must not start with; the message names the key and the file. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
