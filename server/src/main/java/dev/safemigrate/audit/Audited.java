package dev.safemigrate.audit;

import java.util.Map;

/**
 * A tool's structured result that says itself what its audit line records, next to the record
 * it summarises: a renamed field is a compile error here, not a fact that silently disappears
 * from the log. Results that do not implement it are summarised by {@link ResultSummary}.
 */
public interface Audited {

    /**
     * The few facts a person scanning the log needs (what was written, applied, refused, and
     * every finding accepted on purpose), built with {@link AuditSummary}. Never SQL or a token;
     * configured secrets are cut out of the whole line when it is written.
     */
    Map<String, Object> auditSummary();
}
