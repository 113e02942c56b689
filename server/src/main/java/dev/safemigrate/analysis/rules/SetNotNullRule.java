package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.NotNullChecks;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** warn: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove there is no NULL. */
public final class SetNotNullRule implements Rule {

    public List<String> ids() {
        return List.of("set-not-null");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().startsWith("alter_table.") || !s.has("set_not_null") || !s.onExistingTable()
                || s.provenNotNull().contains(s.target() + "." + NotNullChecks.setNotNullColumn(s.tokens()))) {
            return List.of();
        }
        return List.of(s.finding("set-not-null", Severity.WARN,
                "SET NOT NULL on " + s.target() + " scans every row under an ACCESS EXCLUSIVE lock (reads blocked too).",
                "Prove it first without the long lock (PG12+ then skips the scan): ALTER TABLE " + s.target()
                        + " ADD CONSTRAINT c_not_null CHECK (c IS NOT NULL) NOT VALID; ALTER TABLE " + s.target()
                        + " VALIDATE CONSTRAINT c_not_null; ALTER TABLE " + s.target()
                        + " ALTER COLUMN c SET NOT NULL; ALTER TABLE " + s.target() + " DROP CONSTRAINT c_not_null;"));
    }
}
