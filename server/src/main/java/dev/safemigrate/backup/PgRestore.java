package dev.safemigrate.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The pg_restore executable, restoring one custom-format dump as one transaction. */
public final class PgRestore {

    private final String executable;

    public PgRestore(String executable) {
        this.executable = executable;
    }

    /** The pg_restore that comes with the configured pg_dump: the same client package, the same version. */
    public static PgRestore besidePgDump(String pgDump) {
        Path p = Path.of(pgDump);
        return new PgRestore(p.getParent() == null ? "pg_restore" : p.resolveSibling("pg_restore").toString());
    }

    /**
     * Replaces the objects in the dump with the dump's: {@code --clean --if-exists} drops each one
     * first, {@code --no-owner} keeps the target's ownership, and {@code --single-transaction}
     * makes it all or nothing, so a failure leaves the database as it was.
     */
    public void restore(DumpTarget target, Path dump) throws BackupException {
        List<String> options = List.of("--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--exit-on-error", dump.toString());
        try {
            ClientProcess.Finished done = ClientProcess.run(executable, options, target);
            if (done.exit() != 0) {
                throw new BackupException("pg_restore exited with " + done.exit() + ": " + done.output(),
                        "Nothing was changed: the restore ran as one transaction, which was rolled back. Read pg_restore's "
                                + "message (often an object that depends on a table in the backup: drop it first).");
            }
        } catch (IOException e) {
            throw new BackupException("could not run pg_restore '" + executable + "': " + e.getMessage(),
                    "Install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client), or set "
                            + "[backup] pg_dump to a full path with pg_restore beside it.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while pg_restore was running",
                    "Run safemigrate restore again; an interrupted restore is rolled back.");
        }
    }
}
