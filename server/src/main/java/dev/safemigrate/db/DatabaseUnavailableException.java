package dev.safemigrate.db;

/** The development database cannot be reached or started; the message says why. */
public class DatabaseUnavailableException extends Exception {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
