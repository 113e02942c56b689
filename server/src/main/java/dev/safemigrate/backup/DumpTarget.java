package dev.safemigrate.backup;

/** Where pg_dump connects. Never printed with its password. */
public record DumpTarget(String host, int port, String database, String user, String password) {
    @Override
    public String toString() {
        return "DumpTarget[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
