package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/** How the dry run executes a migration's statements, beside the queries it keeps prepared for itself. */
class DryRunTracerTest {

    private static DryRunResult run(String db, List<String> statements) throws Exception {
        List<ScriptToRun.Step> steps = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            steps.add(new ScriptToRun.Step(i + 1, i + 1, statements.get(i), true, null));
        }
        return DryRunTracer.run(new ConnectionSettings(TestDatabase.url(db), TestDatabase.APP_ROLE, null),
                List.of(new ScriptToRun("2", "V2__x.sql", steps)), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    /**
     * pgjdbc prepares a PreparedStatement's text once it has run it five times; a prepared {@code select *} that meets a table
     * an ALTER changed since fails with "cached plan must not change result type". The tracer keeps
     * its own queries prepared across DDL, so it must never let the migration's texts be prepared.
     */
    @Test
    void aSelectStarTheMigrationRepeatsAcrossAlterTableRunsAsItWouldUnderFlyway() throws Exception {
        String db = TestDatabase.create("tracer_repeat");
        List<String> statements = new ArrayList<>(List.of("create table t (a int)", "insert into t values (1)"));
        for (int i = 0; i < 7; i++) {
            statements.add("select * from t");
        }
        statements.add("alter table t add column b text");
        for (int i = 0; i < 3; i++) {
            statements.add("select * from t");
        }
        statements.add("alter table t alter column a type bigint");
        statements.add("select * from t");
        DryRunResult r = run(db, statements);
        assertTrue(r.success(), String.valueOf(r.failure()));
        assertEquals(statements.size(), r.statementsExecuted());
    }
}
