package dev.safemigrate.tools;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.migrations.FlywayChecksum;
import dev.safemigrate.migrations.MigrationFile;
import dev.safemigrate.migrations.MigrationState;

/**
 * The migration files joined with Flyway's view of the database: which are pending, their SQL
 * and its analysis. Every pending file is analysed here, including files the server did not
 * write: an agent (or a person) may have edited the folder directly.
 */
final class PendingMigrations {

    record Loaded(MigrationFile file, String state, String sql, int checksum, MigrationAnalysis analysis) {}

    private PendingMigrations() {}

    static List<Loaded> all(Project project, ProvenConnection db) throws ToolException {
        Map<String, String> states = new HashMap<>();
        try {
            for (MigrationState m : project.flyway(db.settings).info()) {
                // keyed by script: the file name is what both the folder and the history table agree on
                states.put(m.script(), m.state());
            }
        } catch (FlywayException e) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED,
                    "Flyway could not read the migrations: " + e.getMessage(),
                    "Call status to see the migrations and the validation problems."), db.identity, null);
        }
        List<Loaded> out = new ArrayList<>();
        try {
            for (MigrationFile f : project.migrations().list()) {
                String sql = project.migrations().read(f);
                String state = states.getOrDefault(f.fileName(), "pending");
                out.add(new Loaded(f, state, sql, FlywayChecksum.of(sql), project.analyzer().analyze(sql)));
            }
        } catch (IOException e) {
            throw new ToolException(new ToolError(ToolError.INTERNAL_ERROR, "could not read the migrations folder: "
                    + e.getMessage(), "Check that " + project.migrations().dir() + " is readable."), db.identity, null);
        }
        return out;
    }

    static List<Loaded> pending(Project project, ProvenConnection db) throws ToolException {
        return all(project, db).stream().filter(l -> l.state().equals("pending")).toList();
    }
}
