package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import dev.safemigrate.config.DurationSetting;

/**
 * Runs pending migrations for real inside one transaction, then rolls back. PostgreSQL's DDL is
 * transactional, so this is the ground truth a shadow database would give, on the real data,
 * without one.
 */
public final class DryRunner {

    private DryRunner() {}

    public static DryRunResult run(ConnectionSettings settings, List<ScriptToRun> scripts, Duration lockTimeout,
                                   Duration statementTimeout) throws SQLException {
        List<DryRunResult.StatementOutcome> outcomes = new ArrayList<>();
        List<DryRunResult.Skipped> skipped = new ArrayList<>();
        try (Connection c = settings.open()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + DurationSetting.toPostgres(lockTimeout) + "'");
                s.execute("SET LOCAL statement_timeout = '" + DurationSetting.toPostgres(statementTimeout) + "'");
            }
            try {
                for (ScriptToRun script : scripts) {
                    for (ScriptToRun.Step step : script.statements()) {
                        if (!step.transactional()) {
                            skipped.add(new DryRunResult.Skipped(script.version(), script.file(), step.line(),
                                    step.whyNotTransactional()));
                            continue;
                        }
                        long started = System.nanoTime();
                        try (Statement s = c.createStatement()) {
                            boolean resultSet = s.execute(step.sql());
                            Long rows = resultSet ? null : (long) s.getUpdateCount();
                            outcomes.add(new DryRunResult.StatementOutcome(script.version(), step.line(),
                                    rows != null && rows < 0 ? null : rows, (System.nanoTime() - started) / 1_000_000));
                        } catch (SQLException e) {
                            return new DryRunResult(false, outcomes.size(), outcomes, skipped,
                                    failure(script, step, e));
                        }
                    }
                }
                return new DryRunResult(true, outcomes.size(), outcomes, skipped, null);
            } finally {
                c.rollback();
            }
        }
    }

    private static DryRunResult.Failure failure(ScriptToRun script, ScriptToRun.Step step, SQLException e) {
        Integer position = null;
        String message = e.getMessage();
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            message = m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
            position = m.getPosition() > 0 ? m.getPosition() : null;
        }
        int line = step.line();
        if (position != null) {
            line += (int) step.sql().substring(0, Math.min(position - 1, step.sql().length())).chars()
                    .filter(ch -> ch == '\n').count();
        }
        return new DryRunResult.Failure(script.version(), script.file(), line, e.getSQLState(), message, position,
                step.sql());
    }
}
