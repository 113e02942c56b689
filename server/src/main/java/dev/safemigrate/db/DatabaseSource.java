package dev.safemigrate.db;

import dev.safemigrate.config.Redactor;

/**
 * The development database: one from the configuration, or an embedded one this process starts.
 * Resolved lazily: starting PostgreSQL must never delay the MCP handshake.
 */
public interface DatabaseSource extends AutoCloseable {

    ConnectionSettings settings() throws DatabaseUnavailableException;

    /** Where the settings came from, for error hints. */
    String describe();

    @Override
    default void close() {}

    static DatabaseSource configured(ConnectionSettings settings) {
        return new DatabaseSource() {
            @Override
            public ConnectionSettings settings() {
                return settings;
            }

            @Override
            public String describe() {
                // the query string may carry password= or sslpassword=: never echoed
                return "dev.url " + Redactor.withoutParameters(settings.url());
            }
        };
    }
}
