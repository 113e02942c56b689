package dev.safemigrate.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.audit.AuditSummary;
import dev.safemigrate.audit.Audited;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.DryRunResult;

/** Ends a tool call early with a {@link ToolError}; the tool turns it into its result. */
public class ToolException extends Exception {

    /** The head an error keeps of a long message or hint: the rest of the error result is its evidence. */
    private static final int MESSAGE = 2_000;
    private static final int HINT = 1_000;

    private final ToolError error;
    private final DatabaseIdentity database;
    private final List<?> findings;
    private final Confirmation confirmation;
    private String findingsAt;
    private String atRiskAt;

    public ToolException(String code, String message, String hint) {
        this(new ToolError(code, message, hint), null, null);
    }

    /** @param findings {@link Finding}s of one migration, or {@link MigrationFinding}s across pending ones */
    public ToolException(ToolError error, DatabaseIdentity database, List<?> findings) {
        this(error, database, findings, null);
    }

    ToolException(ToolError error, DatabaseIdentity database, List<?> findings, Confirmation confirmation) {
        super(error.code() + ": " + error.message());
        this.error = error;
        this.database = database;
        this.findings = findings;
        this.confirmation = confirmation;
    }

    /**
     * The calls that list what this error's result may leave out to stay readable.
     *
     * @param findings e.g. {@code apply_to_dev {"dry_run":true,"list":"findings"}}; null when no call can
     * @param atRisk   the same for what is at risk
     */
    ToolException withFindingsAt(String findings, String atRisk) {
        this.findingsAt = findings;
        this.atRiskAt = atRisk;
        return this;
    }

    /**
     * The error first, then what a person must decide on and the token; then as many of the
     * findings as fit in {@link Budget#ERROR}, most severe first when not all do, since a client
     * that cuts a long error keeps its head.
     */
    public ToolResult toResult() {
        ToolError shown = new ToolError(error.code(), Budget.clip(error.message(), MESSAGE), Budget.clip(error.hint(), HINT));
        List<?> all = findings == null ? null : findings;
        List<AtRisk> atRisk = confirmation == null ? null : confirmation.atRisk();
        List<DryRunResult.DataAtRisk> data = confirmation == null ? null : confirmation.dataAtRisk();
        FindingCounts counts = all == null || all.isEmpty() ? null : FindingCounts.of(asMigrationFindings(all));
        int[] n = {atRisk == null ? 0 : atRisk.size(), all == null ? 0 : all.size(), data == null ? 0 : data.size()};
        List<?> ordered = all;
        ErrorOutput whole = output(shown, atRisk, n[0], ordered, n[1], data, n[2], counts, null);
        if (Budget.fits(whole, Budget.ERROR)) {
            return ToolResult.error(whole);
        }
        List<?> severeFirst = all == null ? null : all.stream().sorted(Comparator.comparing(ToolException::severity)).toList();
        int atRiskShown = Budget.most(n[0], Budget.ERROR, k -> output(shown, atRisk, k, severeFirst, 0, data, 0, counts, null));
        int findingsShown = Budget.most(n[1], Budget.ERROR,
                k -> output(shown, atRisk, atRiskShown, severeFirst, k, data, 0, counts, null));
        int dataShown = Budget.most(n[2], Budget.ERROR,
                k -> output(shown, atRisk, atRiskShown, severeFirst, findingsShown, data, k, counts, null));
        Truncated.Cuts cuts = new Truncated.Cuts()
                .add("at_risk", atRiskShown, n[0], atRiskAt == null ? "the confirmation covers all of them" : atRiskAt)
                .add("findings", findingsShown, n[1], findingsAt == null
                        ? "fix what is shown and call again: the rest are reported then" : findingsAt)
                .add("data_at_risk", dataShown, n[2], atRiskAt == null ? "at_risk names each one" : atRiskAt);
        Truncated driftCut = confirmation == null || confirmation.drift() == null ? null : confirmation.drift().cut();
        if (driftCut != null) {
            cuts.add(driftCut.of(), driftCut.shown(), driftCut.total(), driftCut.how());
        }
        return ToolResult.error(output(shown, atRisk, atRiskShown, severeFirst, findingsShown, data, dataShown, counts,
                cuts.result()));
    }

    private ErrorOutput output(ToolError shown, List<AtRisk> atRisk, int atRiskShown, List<?> findings, int findingsShown,
                               List<DryRunResult.DataAtRisk> data, int dataShown, FindingCounts counts, Truncated truncated) {
        String token = confirmation == null ? null : confirmation.token();
        return new ErrorOutput(shown, head(atRisk, atRiskShown), token, confirmation == null ? null : confirmation.expiresAt(),
                token == null ? null : "only after your user's explicit yes: " + NextCall.of("apply_to_dev", "confirm", token),
                confirmation == null || confirmation.drift() == null ? null : confirmation.drift().view(), counts, truncated, database, head(findings, findingsShown), head(data, dataShown),
                confirmation == null ? null : confirmation.trace(), this.findings);
    }

    /** A list left out is absent, not empty: an empty list would say there is none. */
    private static <T> List<T> head(List<T> all, int n) {
        if (all == null || (n == 0 && !all.isEmpty())) {
            return null;
        }
        return all.subList(0, n);
    }

    private static Severity severity(Object finding) {
        return finding instanceof MigrationFinding m ? m.severity() : ((Finding) finding).severity();
    }

    private static List<MigrationFinding> asMigrationFindings(List<?> findings) {
        List<MigrationFinding> out = new ArrayList<>();
        for (Object o : findings) {
            out.add(o instanceof MigrationFinding m ? m : MigrationFinding.of(null, null, (Finding) o));
        }
        return out;
    }

    public ToolError error() {
        return error;
    }

    /**
     * What a CONFIRMATION_REQUIRED refusal carries for the person to see.
     *
     * @param drift the schema changed outside safemigrate, when it did, fitted to its part; else null
     */
    record Confirmation(String token, String expiresAt, List<DryRunResult.DataAtRisk> dataAtRisk, List<AtRisk> atRisk,
                        TraceOrigin trace, Drift.Fitted drift) {}

    /**
     * The structured content of every error result, the fields that decide the next step first:
     * the error, what is at risk, the token and until when it holds, the next call, a schema changed
     * outside safemigrate.
     */
    public record ErrorOutput(ToolError error, List<AtRisk> atRisk, String confirmationToken, String expiresAt,
                              String next, Drift.View drift, FindingCounts findingsSummary, Truncated truncated, DatabaseIdentity database,
                              List<?> findings, List<DryRunResult.DataAtRisk> dataAtRisk, TraceOrigin trace,
                              @JsonIgnore List<?> allFindings)
            implements Audited {
        /** The code and message are the audit line's own fields; here, what the refusal was about, all of it. */
        @Override
        public java.util.Map<String, Object> auditSummary() {
            return FindingsSummary.of(new AuditSummary().put("trace_reused", trace == null ? null : trace.reused()), null,
                    allFindings).build();
        }
    }
}
