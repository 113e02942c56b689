package dev.safemigrate.backup;

/** A backup that did not complete; {@code hint} names the fix. Nothing partial is left behind. */
public class BackupException extends Exception {
    private final String hint;

    public BackupException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
