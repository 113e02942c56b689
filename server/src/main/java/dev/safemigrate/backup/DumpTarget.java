package dev.safemigrate.backup;

import java.util.regex.Pattern;

/**
 * Where pg_dump and pg_restore connect: the configured host, port and database, never a value
 * read back from the database (which a function in the migrations' schema could forge). Never
 * printed with its password.
 */
public record DumpTarget(String host, int port, String database, String user, String password) {

    /**
     * libpq reads a {@code --dbname} containing {@code =} as a whole connection string, so a name
     * like {@code x host=elsewhere} would send pg_dump, and the password with it, to another
     * server. Only plain names are passed on.
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,63}");

    /** @throws BackupException when the database name is not a plain name */
    public static DumpTarget of(String host, int port, String database, String user, String password)
            throws BackupException {
        if (database == null || !PLAIN_NAME.matcher(database).matches()) {
            throw new BackupException("refusing to run pg_dump/pg_restore on database name '" + database
                    + "': only plain names (letters, digits, _, - and $) are passed to them, since anything else "
                    + "could be read as connection settings that point them at another server",
                    "Name the development database plainly in [dev] url of safemigrate.toml (e.g. "
                            + "jdbc:postgresql://localhost:5432/app_dev), renaming the database if needed.");
        }
        if (host == null || host.isBlank() || host.contains("=")) {
            throw new BackupException("refusing to run pg_dump/pg_restore on host '" + host + "'",
                    "Name the host plainly in [dev] url of safemigrate.toml.");
        }
        return new DumpTarget(host, port, database, user, password);
    }

    @Override
    public String toString() {
        return "DumpTarget[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
