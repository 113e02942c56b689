package dev.safemigrate.audit;

/**
 * What verifying the chain found.
 *
 * @param entries intact entries before the first bad line (all of them when intact)
 * @param unkeyed how many of those are sealed with a plain SHA-256 (written before the audit key
 *                existed): they chain, but only the keyed entries after them vouch for them
 * @param badLine the 1-based line number of the first bad line (one past the end for a log cut
 *                short), or 0 when intact
 * @param problem why that line is bad, or null when intact
 */
public record ChainReport(int entries, int unkeyed, AuditEntry first, AuditEntry last, int badLine, String problem) {

    /** Nothing is wrong with what is there. Not the same as trusted: see {@link #trusted()}. */
    public boolean intact() {
        return problem == null;
    }

    /**
     * Intact, and vouched for by the key: every entry is keyed, or the unkeyed ones are followed by
     * keyed ones that chain to them. A log of unkeyed entries only is consistent at best: anyone who
     * can write the file could have recomputed it.
     */
    public boolean trusted() {
        return intact() && (entries == 0 || unkeyed < entries);
    }
}
