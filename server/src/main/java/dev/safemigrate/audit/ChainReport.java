package dev.safemigrate.audit;

/**
 * What verifying the chain found.
 *
 * @param entries intact entries before the first bad line (all of them when intact)
 * @param badLine the 1-based line number of the first bad line, or 0 when intact
 * @param problem why that line is bad, or null when intact
 */
public record ChainReport(int entries, AuditEntry first, AuditEntry last, int badLine, String problem) {

    public boolean intact() {
        return problem == null;
    }
}
