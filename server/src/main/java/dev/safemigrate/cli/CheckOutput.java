package dev.safemigrate.cli;

import java.util.stream.Collectors;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;

/** The two human-facing renderings of a check: plain text, and GitHub Actions workflow commands. */
final class CheckOutput {

    private CheckOutput() {}

    static String text(CheckCommand.Report r) {
        StringBuilder sb = new StringBuilder();
        for (CheckCommand.FileResult f : r.files()) {
            sb.append(f.path());
            if (f.analysis() != null) {
                sb.append("  (").append(f.analysis().kind()).append(" analysis)");
            }
            sb.append(f.findings().isEmpty() ? "  ok" : "").append('\n');
            for (Finding x : f.findings()) {
                sb.append(String.format("  line %-4d %-8s [%s] %s%n", x.line(), x.severity().id(), x.rule(), x.message()));
                sb.append("            Safer: ").append(x.hint()).append('\n');
            }
        }
        sb.append(summary(r)).append('\n');
        return sb.toString();
    }

    /**
     * One workflow command per finding, on its file and line: an error when it fails the check,
     * otherwise a warning (confirm, warn) or a notice (info). The summary is a notice without a file.
     */
    static String github(CheckCommand.Report r, Severity failOn) {
        StringBuilder sb = new StringBuilder();
        for (CheckCommand.FileResult f : r.files()) {
            for (Finding x : f.findings()) {
                String level = failOn != null && x.severity().atLeast(failOn) ? "error"
                        : x.severity() == Severity.INFO ? "notice" : "warning";
                sb.append("::").append(level).append(" file=").append(property(f.path())).append(",line=").append(x.line())
                        .append(",title=").append(property("safemigrate " + x.rule() + " (" + x.severity().id() + ")"))
                        .append("::").append(data(x.message() + "\nSafer: " + x.hint())).append('\n');
            }
        }
        sb.append("::notice title=safemigrate check::").append(data(summary(r))).append('\n');
        return sb.toString();
    }

    private static String summary(CheckCommand.Report r) {
        String kinds = r.files().stream().filter(f -> f.analysis() != null).map(f -> f.analysis().kind())
                .distinct().sorted().collect(Collectors.joining(" and "));
        String notes = r.files().stream().filter(f -> f.analysis() != null).map(f -> f.analysis().note())
                .distinct().collect(Collectors.joining("; "));
        long checked = r.files().stream().filter(f -> f.analysis() != null).count();
        return CheckCommand.plural((int) checked, "migration") + " checked in " + r.migrationsDir()
                + (r.since() == null ? "" : " (changed since " + r.since() + ")")
                + (kinds.isEmpty() ? "" : ", " + kinds + " analysis (" + notes + ")") + ": "
                + r.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + ". " + (r.failed() ? "FAILED: a finding is at least " + r.failOn() : "Passed --fail-on " + r.failOn()) + ".";
    }

    /** Workflow command data: %, CR and LF are escaped, as GitHub's toolkit does. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A workflow command property also escapes ':' and ',', which would end it. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
