package dev.safemigrate.cli;

/** The command line was wrong; the message says what, and the command's usage follows it. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
