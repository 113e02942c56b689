package dev.safemigrate.tools;

import java.sql.SQLException;
import java.util.List;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.HistoryDigest;
import dev.safemigrate.migrations.Migration;
import dev.safemigrate.migrations.MigrationSnapshot;
import dev.safemigrate.migrations.ValidationProblem;

/**
 * What Flyway last said (info and validation) about a folder and a history, shared by status and
 * apply_to_dev: loading Flyway to ask both costs a few hundred milliseconds per call, and between
 * status, the dry run and the apply usually nothing changed. Reused only for the same connection
 * settings, the same files byte for byte (by sha256, with their transaction mode) and the same
 * {@link HistoryDigest} (every history row as text), read in the call that reuses it: Flyway's
 * info and validation are a function of exactly these, so the answer is the one Flyway would give
 * now. An answer is remembered only when the history read the same before and after Flyway was asked.
 */
final class FlywayAnswers {

    /** @param migrations bound to the snapshot Flyway was asked about ({@link #boundTo}) */
    record Answer(List<Migration> migrations, List<ValidationProblem> problems) {

        /** The same answer with each file taken from {@code snapshot}, which holds the same bytes. */
        Answer boundTo(MigrationSnapshot snapshot) {
            java.util.Map<String, MigrationSnapshot.SnapshotFile> files = new java.util.HashMap<>();
            snapshot.files().forEach(f -> files.put(f.script(), f));
            return new Answer(migrations.stream().map(m -> m.file().isEmpty() ? m
                    : new Migration(m.version(), m.description(), m.type(), m.state(),
                    java.util.Optional.of(files.get(m.file().get().script())), m.checksum(), m.installedOn(),
                    m.executionMs(), m.recorded())).toList(), problems);
        }
    }

    record Key(ConnectionSettings settings, HistoryDigest history, List<String> files) {

        static Key of(ConnectionSettings settings, HistoryDigest history, MigrationSnapshot snapshot) {
            return new Key(settings, history, snapshot.files().stream()
                    .map(f -> f.script() + " " + f.sha256() + " " + f.executeInTransaction()).toList());
        }
    }

    /** Asks Flyway; a FlywayException passes through and nothing is remembered. */
    interface Ask {
        Answer ask() throws ToolException;
    }

    /** Reads the history's digest again, after Flyway was asked. */
    interface Reread {
        HistoryDigest read() throws SQLException;
    }

    private record Entry(Key key, Answer answer) {}

    private volatile Entry last;
    /** How many times Flyway was asked: what the tests count. */
    private final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

    /** The remembered answer for {@code key}, bound to {@code snapshot}; else Flyway's, remembered if the history held still. */
    Answer answer(Key key, MigrationSnapshot snapshot, Ask ask, Reread reread) throws ToolException, SQLException {
        Entry remembered = last;
        if (remembered != null && remembered.key().equals(key)) {
            return remembered.answer().boundTo(snapshot);
        }
        asked.incrementAndGet();
        Answer answer = ask.ask();
        if (reread.read().equals(key.history())) {
            last = new Entry(key, answer);
        }
        return answer;
    }

    int asked() {
        return asked.get();
    }
}
