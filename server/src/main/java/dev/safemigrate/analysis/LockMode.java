package dev.safemigrate.analysis;

/**
 * PostgreSQL's table lock modes, weakest first, named as in {@code pg_locks.mode}. The order is the
 * order of strength used to pick the strongest lock of a multi-action statement.
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock"),
    ROW_SHARE("RowShareLock"),
    ROW_EXCLUSIVE("RowExclusiveLock"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    SHARE("ShareLock"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    EXCLUSIVE("ExclusiveLock"),
    /** conflicts with everything, plain SELECT included: the lock that makes a migration an outage */
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    private final String pgName;

    LockMode(String pgName) {
        this.pgName = pgName;
    }

    public String pgName() {
        return pgName;
    }

    public static LockMode stronger(LockMode a, LockMode b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() >= b.ordinal() ? a : b;
    }
}
