package dev.safemigrate.tools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import dev.safemigrate.db.ClusterMark;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.ScriptToRun;

/**
 * The last traced dry run, in this server process's memory only (never written anywhere) for a few
 * minutes, so that the apply following a dry run or a CONFIRMATION_REQUIRED refusal does not execute
 * every pending migration a second time: the trace is reused when, and only when, the same
 * statements would run under the same settings as the same role in the same database, and
 * {@link ClusterMark} proves that no transaction committed in the cluster while the trace ran, and
 * that none since changed a row or object this database shows.
 * A false "changed" costs one trace; a false "unchanged" would skip the question a person must
 * answer, so every doubt traces again.
 *
 * <p>Time is the one input no mark covers: a statement such as {@code DELETE … WHERE created_at <
 * now() - interval '1 day'} can find rows later that it did not find then. The short expiry bounds
 * that, as the time between an apply's trace and Flyway's run (a backup can take minutes) already did.
 */
final class TraceMemo {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /**
     * Everything besides the database's rows that decided what the trace did.
     *
     * @param migrations each pending migration's version and sha256, in order
     * @param scripts    digest of exactly what was executed: each statement's text, and whether it ran
     *                   or was held back (which depends on the analysis and the role)
     */
    record Key(List<String> migrations, String scripts, DatabaseIdentity database, Duration lockTimeout,
               Duration statementTimeout) {

        static Key of(List<MigrationSet.Loaded> pending, List<ScriptToRun> scripts, DatabaseIdentity database,
                      Duration lockTimeout, Duration statementTimeout) {
            return new Key(pending.stream().map(p -> p.version() + ":" + p.file().sha256()).toList(), digest(scripts),
                    database, lockTimeout, statementTimeout);
        }

        private static String digest(List<ScriptToRun> scripts) {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                for (ScriptToRun s : scripts) {
                    field(d, s.version());
                    field(d, s.file());
                    for (ScriptToRun.Step step : s.statements()) {
                        field(d, step.index() + "/" + step.line() + "/" + step.transactional());
                        field(d, String.valueOf(step.whyNotTransactional()));
                        field(d, step.sql());
                    }
                }
                return HexFormat.of().formatHex(d.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        /** Length-prefixed, so no two different lists of strings digest alike. */
        private static void field(MessageDigest d, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            d.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            d.update(bytes);
        }
    }

    /** @param mark the cluster right after the trace's rollback */
    record Entry(Key key, ClusterMark mark, DryRunResult result, Instant tracedAt) {}

    record Outcome(DryRunResult result, TraceOrigin origin) {}

    /** The trace itself, run when nothing can be reused. */
    interface Trace {
        DryRunResult run() throws SQLException;
    }

    /** What reads the cluster's mark: the proven connection. */
    interface Marks {
        /**
         * @param since          an earlier mark, to tell whether a transaction committed after it
         * @param contents       read the visible contents' digest too ({@link dev.safemigrate.db.VisibleContents})
         * @param unlessSnapshot but not when the snapshot is still this one
         */
        ClusterMark read(ClusterMark since, boolean contents, String unlessSnapshot) throws SQLException;
    }

    private Entry last;

    /**
     * The earlier trace if provably still true, else a new one (remembered when no transaction
     * committed while it ran). The mark is read where the trace would have started, so every
     * check before it runs exactly as before.
     */
    synchronized Outcome traceOrReuse(Key key, Instant now, Marks marks, Trace trace) throws SQLException {
        // the contents are compared only when there is an earlier trace whose snapshot is no longer current
        ClusterMark before = readQuietly(marks, null, last != null, last == null ? null : last.mark().snapshot());
        String why = before == null ? "the cluster's state could not be read" : whyNotReusable(last, key, before, now);
        if (why == null) {
            return new Outcome(last.result(), new TraceOrigin(true, last.tracedAt().toString(),
                    "same migrations, statements, role, database and settings as the dry run of " + last.tracedAt()
                            + ", and " + (before.snapshot().equals(last.mark().snapshot())
                            ? "no transaction has completed in the cluster since"
                            : "the transactions completed in the cluster since changed no row or object this database "
                            + "shows (planner statistics aside)")));
        }
        last = null;
        DryRunResult result = trace.run();
        // with the contents: a later apply may then prove unchanged what autovacuum's transactions did not change
        ClusterMark after = before == null ? null : readQuietly(marks, before, true, null);
        if (after != null && !after.committedSince()) {
            last = new Entry(key, after, result, now);
        } else {
            why += after == null ? "" : "; a transaction committed while this dry run ran, so it is not reused later";
        }
        return new Outcome(result, new TraceOrigin(false, now.toString(), why));
    }

    /** After an apply, or anything else that makes the trace history. */
    synchronized void forget() {
        last = null;
    }

    /** Pure: null when {@code last} provably still describes what a trace would see now. */
    static String whyNotReusable(Entry last, Key key, ClusterMark now, Instant at) {
        if (last == null) {
            return "no earlier dry run of these migrations in this server process";
        }
        Duration age = Duration.between(last.tracedAt(), at);
        if (age.isNegative() || age.compareTo(MAX_AGE) > 0) {
            return "the last dry run (" + last.tracedAt() + ") is older than " + MAX_AGE.toMinutes() + " minutes";
        }
        if (!key.migrations().equals(last.key().migrations())) {
            return "the pending migrations differ from the last dry run's";
        }
        if (!key.equals(last.key())) {
            return "the statements to execute, the role, the database or the timeouts differ from the last dry run's";
        }
        return now.changedSince(last.mark());
    }

    private static ClusterMark readQuietly(Marks marks, ClusterMark since, boolean contents, String unlessSnapshot) {
        try {
            return marks.read(since, contents, unlessSnapshot);
        } catch (SQLException e) {
            // no proof is a change: the trace runs, and is not kept
            return null;
        }
    }
}
