package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * At most one idle connection kept between tool calls, so a call need not open a new one (a few
 * ms of TCP, authentication and start-up queries each time). It only ever holds a connection the
 * server's own queries ran on, pinned to pg_catalog: migration SQL never runs on it.
 *
 * <p>Keeping it saves only the opening. Every call that takes it proves the identity again on it
 * ({@link IdentityProbe#readSession}), and it is given out again only when that proof shows the
 * session exactly as the server left it ({@link #asLeft}); otherwise the caller closes it and
 * opens a new one. A connection the server closed, or a server that restarted, fails the proof's
 * round trip, and the caller opens a new one the same way.
 *
 * <p>Status uses it today; any tool whose connection never runs migration SQL can adopt it.
 */
public final class KeptConnection implements AutoCloseable {

    /**
     * Older idle connections are closed, not reused: a firewall or NAT that silently dropped an idle
     * TCP flow would otherwise make the next query wait for the kernel's retransmission timeout,
     * and a changed password or pg_hba.conf reaches the next call within this long.
     */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(30);

    /**
     * What the session was when it was opened: the role that logged in and the database and role
     * defaults ({@code ALTER DATABASE/ROLE … SET}) it started with.
     */
    public record Baseline(String sessionUser, String defaults) {

        public static Baseline of(IdentityProbe.Session opened) {
            return new Baseline(opened.sessionUser(), opened.defaults());
        }
    }

    /** A connection handed out: to be proven again before any use, then given back or closed. */
    public record Taken(Connection connection, Baseline baseline) {}

    private record Idle(Connection connection, ConnectionSettings settings, Baseline baseline, long since) {}

    private Idle idle;
    private boolean closed;

    /** The idle connection to these settings if there is one fit to try; null otherwise. */
    public Taken take(ConnectionSettings settings) {
        Idle i;
        synchronized (this) {
            i = idle;
            idle = null;
        }
        if (i == null) {
            return null;
        }
        if (!i.settings().equals(settings) || System.nanoTime() - i.since() > IDLE_LIMIT.toNanos() || !idleInAutocommit(i.connection())) {
            closeQuietly(i.connection());
            return null;
        }
        return new Taken(i.connection(), i.baseline());
    }

    /**
     * Whether the session read by the proof on a taken connection is the one the server left: its
     * search_path still pinned, no other role set, and the database and role defaults it started
     * with still the ones a new session would start with (else RESET would restore stale ones).
     */
    public static boolean asLeft(Baseline baseline, IdentityProbe.Session now) {
        return CatalogSearchPath.PINNED.equals(now.searchPath())
                && baseline.sessionUser().equals(now.sessionUser())
                && baseline.sessionUser().equals(now.currentUser())
                && baseline.defaults().equals(now.defaults());
    }

    /** Keeps {@code c} for the next call, or closes it when one is kept already (or this is closed). */
    public void give(Connection c, ConnectionSettings settings, Baseline baseline) {
        boolean keep;
        synchronized (this) {
            keep = !closed && idle == null;
            if (keep) {
                idle = new Idle(c, settings, baseline, System.nanoTime());
            }
        }
        if (!keep) {
            closeQuietly(c);
        }
    }

    /** Whether the session is outside any transaction and in autocommit, as the server's own queries leave it. */
    private static boolean idleInAutocommit(Connection c) {
        try {
            return !c.isClosed() && c.getAutoCommit()
                    && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // it was kept only to save an opening; nothing depends on closing it cleanly
        }
    }

    @Override
    public void close() {
        Idle i;
        synchronized (this) {
            closed = true;
            i = idle;
            idle = null;
        }
        if (i != null) {
            closeQuietly(i.connection());
        }
    }
}
