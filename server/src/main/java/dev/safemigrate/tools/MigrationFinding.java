package dev.safemigrate.tools;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;

/** A finding with the pending migration it belongs to, as apply_to_dev reports them across files. */
public record MigrationFinding(String migration, String path, String rule, Severity severity, int statement, int line,
                               String message, String hint, Severity allowedFrom, String allowedReason) {

    static MigrationFinding of(String migration, String path, Finding f) {
        return new MigrationFinding(migration, path, f.rule(), f.severity(), f.statement(), f.line(), f.message(), f.hint(),
                f.allowedFrom(), f.allowedReason());
    }

    /** Stable across calls for the same migration content: what a confirmation token covers. */
    String id() {
        return migration + "/" + statement + "/" + rule;
    }
}
