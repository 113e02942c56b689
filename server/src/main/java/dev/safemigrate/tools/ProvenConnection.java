package dev.safemigrate.tools;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DatabaseUnavailableException;
import dev.safemigrate.db.IdentityProbe;
import dev.safemigrate.db.ObservedIdentity;
import dev.safemigrate.policy.IdentityFacts;

/**
 * A connection to the configured database together with the proof of which database it is.
 * Every tool that touches the database starts here, and so does every command a person runs
 * against it (mark-dev, restore).
 */
public final class ProvenConnection implements AutoCloseable {

    final ConnectionSettings settings;
    final Connection connection;
    final ObservedIdentity observed;
    final DatabaseIdentity identity;

    private ProvenConnection(ConnectionSettings settings, Connection connection, ObservedIdentity observed,
                             DatabaseIdentity identity) {
        this.settings = settings;
        this.connection = connection;
        this.observed = observed;
        this.identity = identity;
    }

    public static ProvenConnection open(Project project) throws ToolException {
        ConnectionSettings settings;
        try {
            settings = project.database().settings();
        } catch (DatabaseUnavailableException e) {
            throw unreachable(project, e.getMessage());
        }
        Connection c = null;
        try {
            c = settings.open();
            ObservedIdentity o = IdentityProbe.read(c, settings);
            List<String> problems = project.devPolicy().problems(
                    new IdentityFacts(o.urlHosts(), o.database(), o.environment(), o.inRecovery()));
            return new ProvenConnection(settings, c, o, DatabaseIdentity.of(o, problems));
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

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
