package dev.safemigrate.cli.init;

/** A file init would merge into cannot be read as what it should be; nothing is written. */
public class SetupException extends Exception {
    public SetupException(String message) {
        super(message);
    }
}
