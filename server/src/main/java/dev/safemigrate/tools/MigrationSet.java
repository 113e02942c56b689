package dev.safemigrate.tools;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.api.FlywayException;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.migrations.Migration;
import dev.safemigrate.migrations.MigrationSnapshot;

/**
 * One call's view of the migrations: the folder read once into a snapshot, joined with Flyway's
 * history by Flyway's own version, each file analysed at most once. Every pending file is
 * analysed, including files the server did not write: an agent or a person may have edited the
 * folder directly.
 */
final class MigrationSet {

    /** A migration with a file in the snapshot, and that file's analysis. */
    record Loaded(Migration migration, MigrationSnapshot.SnapshotFile file, MigrationAnalysis analysis) {
        String version() {
            return migration.versionText();
        }
    }

    private final Project project;
    private final MigrationSnapshot snapshot;
    private final List<Migration> migrations;
    private final String database;
    private final Map<String, MigrationAnalysis> analyses = new HashMap<>();
    /** Analyses of earlier calls, or null: each file is then analysed here. */
    private final AnalysisMemo memo;

    private MigrationSet(Project project, MigrationSnapshot snapshot, List<Migration> migrations, String database,
                         AnalysisMemo memo) {
        this.project = project;
        this.snapshot = snapshot;
        this.migrations = migrations;
        this.database = database;
        this.memo = memo;
    }

    static MigrationSet read(Project project, ProvenConnection db) throws ToolException {
        return join(project, db, snapshot(project, db));
    }

    static MigrationSet join(Project project, ProvenConnection db, MigrationSnapshot snapshot) throws ToolException {
        return of(project, db, snapshot, info(project, db, snapshot), null);
    }

    /**
     * @param migrations Flyway's info about exactly this snapshot and the history as it is now
     * @param memo       analyses kept from earlier calls (by exact text), or null
     */
    static MigrationSet of(Project project, ProvenConnection db, MigrationSnapshot snapshot, List<Migration> migrations,
                           AnalysisMemo memo) {
        return new MigrationSet(project, snapshot, migrations, db.identity.name(), memo);
    }

    /** Flyway's info about the snapshot, the history read now. */
    static List<Migration> info(Project project, ProvenConnection db, MigrationSnapshot snapshot) throws ToolException {
        try {
            return project.history(db.settings).info(snapshot);
        } catch (FlywayException e) {
            throw new ToolException(new ToolError(ToolError.VALIDATION_FAILED,
                    "Flyway could not read the migrations: " + e.getMessage(),
                    "Call status to see the migrations and the validation problems."), db.identity, null);
        }
    }

    static MigrationSnapshot snapshot(Project project, ProvenConnection db) throws ToolException {
        try {
            return project.migrations().snapshot();
        } catch (IOException e) {
            throw new ToolException(new ToolError(ToolError.INTERNAL_ERROR, "could not read the migrations folder: "
                    + e.getMessage(), "Check that " + project.relative(project.migrations().dir()) + " is readable."),
                    db == null ? null : db.identity, null);
        }
    }

    MigrationSnapshot snapshot() {
        return snapshot;
    }

    List<Migration> migrations() {
        return migrations;
    }

    /** Every migration that has a file, analysed. */
    List<Loaded> withFiles() {
        return migrations.stream().filter(m -> m.file().isPresent()).map(this::load).toList();
    }

    List<Loaded> pending() {
        return migrations.stream().filter(m -> m.pending() && m.file().isPresent()).map(this::load).toList();
    }

    Optional<Migration> byVersion(String version) {
        return MigrationSnapshot.parseVersion(version)
                .flatMap(wanted -> migrations.stream().filter(m -> m.version().equals(wanted)).findFirst());
    }

    Loaded load(Migration m) {
        MigrationSnapshot.SnapshotFile f = m.file().orElseThrow();
        return new Loaded(m, f, analyses.computeIfAbsent(f.script(), s -> memo == null
                ? project.analyzer().analyze(f.text(), database)
                : memo.analyze(f.text(), database, () -> project.analyzer().analyze(f.text(), database))));
    }
}
