package dev.safemigrate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.safemigrate.audit.AuditEntry;
import dev.safemigrate.audit.AuditReader;
import dev.safemigrate.audit.ChainReport;
import dev.safemigrate.audit.ChainVerifier;
import dev.safemigrate.config.Config;
import dev.safemigrate.config.KeyFolder;

/** {@code safemigrate log}: what the agents did, and whether the record of it is intact. */
public final class LogCommand implements Command {

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String summary() {
        return "the audit log of every tool call; --verify checks its keyed hash chain";
    }

    @Override
    public String usage() {
        return """
                usage: safemigrate log [--tool NAME] [--refused] [--since WHEN] [--json] [--config PATH]
                       safemigrate log --verify [--config PATH]

                Shows every tool call the agents made, oldest first: time, client, tool, decision (allowed, refused
                or error, with the code) and what happened. The log is [audit] log in safemigrate.toml
                (default .safemigrate/audit.jsonl).

                options:
                  --tool NAME    only calls of this tool (status, create_migration, show_sql, apply_to_dev, backup)
                  --refused      only calls safemigrate refused
                  --since WHEN   only calls at or after WHEN: a time (2026-11-25T10:00:00Z, 2026-11-25) or a span
                                 back from now (90s, 30m, 2h, 7d, 2w)
                  --json         the matching log lines as they are stored, one JSON object per line
                  --verify       check the chain, keyed with the audit key in your configuration directory
                                 (~/.config/safemigrate/projects/…): exit 0 when intact, 1 naming the first line
                                 that was edited, removed or moved, or where the log was cut short. A log written
                                 only by safemigrate before 0.2 has no key: it is reported unkeyed (exit 1), since
                                 anyone could have recomputed its chain.
                """;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Arguments a = Arguments.parse(args, Set.of("--refused", "--json", "--verify"), Set.of("--tool", "--since"));
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        if (a.has("--verify") && (a.has("--json") || a.has("--refused") || a.option("--tool") != null
                || a.option("--since") != null)) {
            throw new UsageException("--verify checks the whole log and takes no filters");
        }
        Instant since = a.option("--since") == null ? null : Since.parse(a.option("--since"), ctx.clock());
        Config config = ctx.config();
        Path log = config.audit().log();
        try {
            return a.has("--verify") ? verify(log, config.keys(), ctx) : show(log, a, since, ctx);
        } catch (IOException e) {
            ctx.err().println("safemigrate log: cannot read " + log + ": " + e.getMessage());
            return 1;
        }
    }

    private static int verify(Path log, KeyFolder keys, CommandContext ctx) throws IOException {
        ChainReport r = ChainVerifier.verify(log, keys);
        if (!r.intact()) {
            ctx.err().println("safemigrate log --verify: " + log + " is NOT intact: " + r.problem());
            ctx.err().println(r.entries() + " entries before that line verify. Keep a copy of the file as it is, and find "
                    + "out who changed it; safemigrate never rewrites the log.");
            return 1;
        }
        if (r.entries() == 0) {
            ctx.out().println("0 entries in " + log + ": nothing to verify yet.");
            return 0;
        }
        if (!r.trusted()) {
            ctx.err().println("safemigrate log --verify: " + log + " is UNKEYED: its " + r.entries() + " entries were "
                    + "written by an older safemigrate with a plain SHA-256 chain, which anyone who can write the file "
                    + "could have recomputed. It is consistent, but NOT verified. Entries written from now on are keyed "
                    + "and anchor these.");
            return 1;
        }
        ctx.out().println(r.entries() + " entries, keyed chain intact, first #" + r.first().seq() + " at "
                + r.first().time() + ", last #" + r.last().seq() + " at " + r.last().time() + " (" + log + ")");
        if (r.unkeyed() > 0) {
            ctx.out().println("the first " + r.unkeyed() + " entries were written before the audit key existed: the keyed "
                    + "entries after them vouch that they have not changed since, but not for the time before");
        }
        ctx.out().println("no entries missing at the end: the log ends at the entry the chain head in " + keys.dir()
                + " records");
        return 0;
    }

    private static int show(Path log, Arguments a, Instant since, CommandContext ctx) throws IOException {
        List<AuditEntry> shown = new ArrayList<>();
        StringBuilder json = new StringBuilder();
        int unreadable = 0;
        for (AuditReader.Line line : AuditReader.read(log)) {
            if (line.entry() == null) {
                ctx.err().println("safemigrate log: line " + line.number() + " is not an audit entry (" + line.problem()
                        + "); run safemigrate log --verify");
                unreadable++;
                continue;
            }
            if (matches(line.entry(), a, since)) {
                shown.add(line.entry());
                json.append(line.text()).append('\n');
            }
        }
        if (a.has("--json")) {
            ctx.out().print(json);
        } else if (shown.isEmpty()) {
            ctx.out().println("No matching entries in " + log + ".");
        } else {
            ctx.out().print(LogTable.render(shown));
        }
        return unreadable == 0 ? 0 : 1;
    }

    private static boolean matches(AuditEntry e, Arguments a, Instant since) {
        if (a.option("--tool") != null && !a.option("--tool").equals(e.tool())) {
            return false;
        }
        if (a.has("--refused") && !AuditEntry.REFUSED.equals(e.decision())) {
            return false;
        }
        if (since != null) {
            try {
                return !Instant.parse(e.time()).isBefore(since);
            } catch (RuntimeException ex) {
                return false;
            }
        }
        return true;
    }
}
