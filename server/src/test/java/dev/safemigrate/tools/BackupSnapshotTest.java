package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.safemigrate.backup.BackupManifest;
import dev.safemigrate.backup.DumpTarget;
import dev.safemigrate.backup.PgRestore;
import dev.safemigrate.testing.ProjectDir;
import dev.safemigrate.testing.TestDatabase;

/** The row counts in a backup's manifest are those of the dump, even while other sessions write. */
class BackupSnapshotTest {

    @TempDir
    Path root;

    @Test
    void theCountsMatchTheDumpWhileAnotherSessionInsertsDuringTheBackup() throws Exception {
        String db = TestDatabase.create("backup_snapshot");
        TestDatabase.execute(db, "create table busy (id bigserial primary key, pad text); "
                + "insert into busy (pad) select repeat('x', 200) from generate_series(1, 300000)");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong inserted = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
                while (!stop.get()) {
                    s.execute("insert into busy (pad) values ('during')");
                    inserted.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        BackupTool.Backup taken;
        try (Project project = Project.open(ProjectDir.create(root, db, "").config())) {
            writer.start();
            while (inserted.get() < 10) {
                Thread.sleep(5);
            }
            long before = inserted.get();
            ToolResult r = new BackupTool(project).call(new BackupTool.Input(null));
            long after = inserted.get();
            stop.set(true);
            writer.join();
            assertFalse(r.isError(), r.text());
            assertTrue(after > before, "no row was inserted while the backup ran: the test proves nothing");
            taken = ((BackupTool.Output) r.structured()).backup();
        }
        long counted = taken.tables().stream().filter(t -> t.name().equals("busy")).mapToLong(BackupManifest.TableRows::rows)
                .findFirst().orElseThrow();
        String restored = TestDatabase.create("backup_restored");
        new PgRestore("pg_restore").restore(DumpTarget.of("localhost", TestDatabase.port(), restored, TestDatabase.APP_ROLE,
                null), root.resolve(taken.path()));
        assertEquals(counted, TestDatabase.queryLong(restored, "select count(*) from busy"));
        assertTrue(counted > 300_000 && counted < TestDatabase.queryLong(db, "select count(*) from busy"),
                "the snapshot lies within the writes: " + counted);
    }
}
