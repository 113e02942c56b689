package dev.safemigrate.tools;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DatabaseUnavailableException;
import dev.safemigrate.db.IdentityProbe;
import dev.safemigrate.db.KeptConnection;
import dev.safemigrate.db.ObservedIdentity;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.policy.IdentityFacts;

/**
 * A connection to the configured database together with the proof of which database it is.
 * Every tool that touches the database starts here, and so does every command a person runs
 * against it (mark-dev, restore). The connection's search_path is pinned to pg_catalog once the
 * identity is read: only the server's own queries run on it, never migration SQL.
 */
public final class ProvenConnection implements AutoCloseable {

    final ConnectionSettings settings;
    final Connection connection;
    final ObservedIdentity observed;
    final DatabaseIdentity identity;
    /** Where Flyway's history was at the proof, when the proof read it in its round trip; else null. */
    private final SchemaHistory historyAtProof;
    /** {@link IdentityProbe.Reading#visibility()} at the proof, when {@link #openKept} read it; else null. */
    private final String visibilityAtProof;
    /** Where the connection goes back to after the call, when it may be kept; else null. */
    private final KeptConnection keeper;
    private final KeptConnection.Baseline baseline;
    /** The layout's history table ({@link dev.safemigrate.migrations.MigrationLayout#historyTable()}). */
    private final String historyTable;
    private boolean reusable;

    private ProvenConnection(ConnectionSettings settings, Connection connection, ObservedIdentity observed,
                             DatabaseIdentity identity, String historyTable) {
        this(settings, connection, observed, identity, null, null, null, null, historyTable);
    }

    private ProvenConnection(ConnectionSettings settings, Connection connection, ObservedIdentity observed,
                             DatabaseIdentity identity, SchemaHistory historyAtProof, String visibilityAtProof,
                             KeptConnection keeper, KeptConnection.Baseline baseline, String historyTable) {
        this.historyTable = historyTable;
        this.settings = settings;
        this.connection = connection;
        this.observed = observed;
        this.identity = identity;
        this.historyAtProof = historyAtProof;
        this.visibilityAtProof = visibilityAtProof;
        this.keeper = keeper;
        this.baseline = baseline;
    }

    /**
     * Like {@link #open(Project)}, on the connection the project kept from an earlier call when
     * there is one: the identity is proven on it again, in the same single round trip as on a new
     * connection, and it is used only if the session is exactly as the server left it
     * ({@link KeptConnection#asLeft}). A connection that was closed, a server that restarted, or a
     * session in any other state is closed and a new connection opened and proven instead. Only
     * for tools whose queries on it are the server's own: migration SQL must never run on it.
     * {@link #keepForNextCall()} then offers it to the next call when this one is done.
     */
    static ProvenConnection openKept(Project project) throws ToolException {
        ConnectionSettings settings;
        try {
            settings = project.database().settings();
        } catch (DatabaseUnavailableException e) {
            throw unreachable(project, e.getMessage());
        }
        KeptConnection kept = project.keptConnection();
        KeptConnection.Taken taken = kept.take(settings);
        if (taken != null) {
            try {
                IdentityProbe.Reading r = IdentityProbe.readSession(taken.connection(), settings,
                        project.migrations().historyTable());
                if (KeptConnection.asLeft(taken.baseline(), r.session())) {
                    return proven(project, settings, taken.connection(), r, kept, taken.baseline());
                }
            } catch (SQLException e) {
                // closed by the server, a restart, a network failure: a new connection answers instead
            }
            closeQuietly(taken.connection());
        }
        Connection c = null;
        try {
            c = settings.open();
            IdentityProbe.Reading r = IdentityProbe.readSession(c, settings, project.migrations().historyTable());
            return proven(project, settings, c, r, kept, KeptConnection.Baseline.of(r.session()));
        } catch (SQLException e) {
            closeQuietly(c);
            throw unreachable(project, e.getMessage());
        }
    }

    private static ProvenConnection proven(Project project, ConnectionSettings settings, Connection c,
                                           IdentityProbe.Reading r, KeptConnection kept, KeptConnection.Baseline baseline) {
        ObservedIdentity o = r.observed();
        return new ProvenConnection(settings, c, o, DatabaseIdentity.of(o, problems(project, o, false)), r.history(),
                r.visibility(), kept, baseline, project.migrations().historyTable());
    }

    private static List<String> problems(Project project, ObservedIdentity o, boolean administrator) {
        return project.devPolicy().problems(new IdentityFacts(o.urlHosts(), o.urlDatabase(),
                o.database(), o.environment(), o.sessionEnvironment(), o.inRecovery(), o.user(),
                administrator ? List.of() : o.powers()));
    }

    /**
     * The call is done and every query on the connection completed: the next call may take it
     * (see {@link #openKept}). Without this, closing closes it, as after a failure midway.
     */
    void keepForNextCall() {
        reusable = keeper != null;
    }

    /**
     * What the cluster's rows looked like at the proof ({@link IdentityProbe.Reading#visibility()}),
     * when {@link #openKept} read it; null otherwise, and then nothing may be assumed unchanged.
     */
    String visibilityAtProof() {
        return visibilityAtProof;
    }

    /** Where Flyway's history was when the identity was proven: read in the proof's round trip by {@link #openKept}. */
    SchemaHistory historyAtProof() throws SQLException {
        return historyAtProof != null ? historyAtProof : schemaHistory();
    }

    public static ProvenConnection open(Project project) throws ToolException {
        ConnectionSettings settings;
        try {
            settings = project.database().settings();
        } catch (DatabaseUnavailableException e) {
            throw unreachable(project, e.getMessage());
        }
        return open(project, settings, false);
    }

    /** The configured database as another role, e.g. the one mark-dev --create-role just made. */
    public static ProvenConnection open(Project project, ConnectionSettings settings) throws ToolException {
        return open(project, settings, false);
    }

    /**
     * The configured database reached as a person's administrator login, to set up a
     * least-privileged role in it (mark-dev --create-role). The database must pass every check;
     * only the connecting role's own powers are not held against it, since creating a role needs them.
     */
    public static ProvenConnection openAsAdministrator(Project project, ConnectionSettings admin) throws ToolException {
        return open(project, admin, true);
    }

    private static ProvenConnection open(Project project, ConnectionSettings settings, boolean administrator)
            throws ToolException {
        Connection c = null;
        try {
            c = settings.open();
            ObservedIdentity o = IdentityProbe.read(c, settings);
            return new ProvenConnection(settings, c, o, DatabaseIdentity.of(o, problems(project, o, administrator)),
                    project.migrations().historyTable());
        } catch (SQLException e) {
            closeQuietly(c);
            throw unreachable(project, e.getMessage());
        }
    }

    /** Refuses, naming every reason, unless this is proven to be the development database. */
    ProvenConnection requireDev() throws ToolException {
        if (!identity.verified()) {
            throw new ToolException(new ToolError(ToolError.NOT_DEV_DATABASE,
                    "refusing to write: " + String.join("; ", identity.problems()),
                    dev.safemigrate.policy.DevDatabasePolicy.hint()), identity, null);
        }
        return this;
    }

    private static ToolException unreachable(Project project, String why) {
        return new ToolException(ToolError.DATABASE_UNREACHABLE,
                "cannot connect to the development database (" + project.database().describe() + "): " + why,
                "Check that the database is running and that [dev] in safemigrate.toml is right; then call status. "
                        + "Do not connect by other means.");
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection was already unusable; the original error is the one to report
            }
        }
    }

    public ConnectionSettings settings() {
        return settings;
    }

    public Connection connection() {
        return connection;
    }

    public ObservedIdentity observed() {
        return observed;
    }

    public DatabaseIdentity identity() {
        return identity;
    }

    /**
     * Whether the connecting role holds none of the powers that reach beyond its own database
     * (superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS, server files and programs,
     * signalling other backends). Only then does the database itself refuse what the analysis
     * might miss; a privileged role is connected to only when a person set
     * {@code [policy] allow_privileged_role = true}.
     */
    public boolean leastPrivileged() {
        return observed.leastPrivileged();
    }

    /**
     * Where Flyway's own connections keep the history, read now: they take the first schema of the
     * search_path a new session gets, which this connection read before pinning its own.
     */
    SchemaHistory schemaHistory() throws SQLException {
        return SchemaHistory.locate(connection, observed.searchPathSchemas(), historyTable);
    }

    @Override
    public void close() {
        if (reusable) {
            keeper.give(connection, settings, baseline);
        } else {
            closeQuietly(connection);
        }
    }
}
