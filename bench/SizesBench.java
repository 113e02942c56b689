import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.safemigrate.testing.GeneratedHistory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;

/**
 * (sizes) How much of an agent's context each answer takes (issue 22): the built jar over stdio
 * (ServerBench's client and projects), as the least-privileged role, on a fresh database, through
 * the calls an agent makes on a whole history: status, show_sql, the dry run, the apply that asks
 * for a confirmation, the confirmed apply, status again, then one new small migration written,
 * shown, dry-run, applied, and a backup. Each answer's size is the length of its structuredContent
 * as compact JSON (what {@code JSON.stringify(structuredContent)} gives an agent's client), with an
 * estimate of its tokens (chars / 4) and the length of its text content; and where the fields that
 * decide the next step (error, at_risk, confirmation_token, expires_at, next) stand in it.
 *
 * Relies only on the JSON-RPC envelope, structuredContent, isError, error.code and
 * confirmation_token: the shapes of the results are free to change. With -Dbench.jar.before, an
 * older jar makes the same calls on its own fresh database (after this one's, not interleaved: a
 * session as an agent has it) and its sizes are printed beside. Sizes are deterministic; the
 * milliseconds are one call's. Not a test.
 *
 * Usage: SizesBench [FOLDER], FOLDER holding a real history's V1__… V<n>__… (only the prefix
 * PostgreSQL 15 applies is used); the generated 240-migration history is always measured.
 */
public class SizesBench {

    static final int BUDGET = 8_000;
    static final int CEILING = 20_000;
    static final int TOUCHED_TABLES = 40;
    /** Applied first in the generated history, so that its last migration's updates meet rows that exist. */
    static final int HALF = 120;
    static final Set<String> DECISIVE = Set.of("error", "at_risk", "confirmation_token", "expires_at", "next");
    static final String NEW_NAME = "sizes_note";
    static final String NEW_SQL = "create table sizes_note (id bigint generated always as identity primary key, body text not null);\n"
            + "create index sizes_note_body on sizes_note (body);\n";

    /** One answer measured. {@code code} is the error code when isError, {@code rpcError} a JSON-RPC error instead of a result. */
    record Size(String call, boolean isError, String code, int chars, int text, double ms, List<Field> fields,
                int tokenAt, String rpcError) {
        static Size skipped(String call, String why) {
            return new Size(call, false, null, -1, -1, 0, List.of(), -1, why);
        }

        boolean measured() {
            return chars >= 0;
        }
    }

    /** A top-level field of structuredContent: its key's offset and the offset just past its value. */
    record Field(String name, int start, int end) {
        @Override
        public String toString() {
            String where = end <= BUDGET ? "✓" : start < BUDGET ? "starts inside, ends past 8,000" : "✗";
            return String.format("%s %,d–%,d %s", name, start, end, where);
        }
    }

    public static void main(String[] args) throws Exception {
        ServerBench.work = Path.of(System.getProperty("bench.work", "bench/.work")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("bench.jar", "server/target/safemigrate.jar")).toAbsolutePath();
        String beforeProp = System.getProperty("bench.jar.before");
        Path before = beforeProp == null || beforeProp.isBlank() ? null : Path.of(beforeProp).toAbsolutePath();
        Map<String, List<Size>> after = new LinkedHashMap<>(), old = new LinkedHashMap<>();
        try (EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(ServerBench.work.resolve("pgdata-sizes")).setCleanDataDirectory(true).start()) {
            ServerBench.pg = server;
            ServerBench.sql("postgres", "create role " + ServerBench.ROLE + " login");
            Path generated = generated(ServerBench.work.resolve("sizes-generated"));
            String g = "generated 240 + 1 (40 tables touched)";
            after.put(g, session(jar, generated, "gen", String.valueOf(HALF)));
            if (before != null) {
                old.put(g, session(before, generated, "gen_before", String.valueOf(HALF)));
            }
            if (args.length > 0 && !args[0].isBlank()) {
                Path prefix = HistoryBench.pg15Prefix(Path.of(args[0]).toAbsolutePath());
                String h = "lemmy, " + count(prefix) + " migrations";
                after.put(h, session(jar, prefix, "lemmy", null));
                if (before != null) {
                    old.put(h, session(before, prefix, "lemmy_before", null));
                }
            }
        }
        print(after, old, before);
    }

    /** The 240-migration history of the trace benchmark, and one more that updates a row in each of 40 early tables. */
    static Path generated(Path dir) throws Exception {
        ServerBench.deleteTree(dir);
        Files.createDirectories(dir);
        List<List<String>> history = GeneratedHistory.history(240);
        for (int m = 1; m <= history.size(); m++) {
            Files.writeString(dir.resolve("V" + m + "__m" + m + ".sql"), String.join(";\n", history.get(m - 1)) + ";\n");
        }
        StringBuilder touch = new StringBuilder();
        for (int t = 1; t <= TOUCHED_TABLES; t++) {
            touch.append("update e").append(t).append(" set status = 'touched' where name = 'a';\n");
        }
        Files.writeString(dir.resolve("V241__touch_existing.sql"), touch.toString());
        return dir;
    }

    /**
     * One agent's session on a fresh database with every migration of {@code migrations} pending. With
     * {@code half}, the migrations up to that version are applied after the first dry run, so that
     * what the rest changes exists (on a fresh database, rows the same apply inserted are at no risk).
     */
    static List<Size> session(Path jar, Path migrations, String name, String half) throws Exception {
        String db = ServerBench.createDatabase("bench_sizes_" + name);
        Path project = ServerBench.project("sizes-" + name, db);
        Path folder = project.resolve("db/migrations");
        ServerBench.copyFolder(migrations, folder);
        List<String> versions = versions(folder);
        String middle = versions.get(versions.size() / 2);
        List<Size> out = new ArrayList<>();
        System.err.println("== " + jar.getFileName() + " on " + name + ": " + versions.size() + " pending, middle V" + middle);
        try (ServerBench.Rpc rpc = ServerBench.Rpc.start(ServerBench.serverCommand(project, jar, List.of()), project)) {
            rpc.initialize();
            long t0 = System.nanoTime();
            JsonNode tools = rpc.request("tools/list", ServerBench.JSON.createObjectNode());
            out.add(new Size("tools/list (the whole result)", false, null, ServerBench.JSON.writeValueAsString(tools).length(),
                    -1, HistoryBench.ms(t0), List.of(), -1, null));
            ServerBench.sql("postgres", "analyze pg_catalog.pg_shdepend"); // see HistoryBench.quiet
            out.add(call(rpc, "status (all pending)", "status", Map.of()));
            out.add(call(rpc, "show_sql {} (all pending)", "show_sql", Map.of()));
            out.add(call(rpc, "show_sql {\"version\": \"" + middle + "\"}", "show_sql", Map.of("version", middle)));
            out.add(call(rpc, "apply_to_dev {\"dry_run\": true}", "apply_to_dev", Map.of("dry_run", true)));
            if (half != null) {
                Size first = call(rpc, "apply_to_dev {\"target_version\": \"" + half + "\"} (nothing at risk yet)",
                        "apply_to_dev", Map.of("target_version", half));
                if (first.isError()) {
                    throw new IllegalStateException("the first half was not applied: " + cut(last));
                }
                out.add(first);
                long left = versions.stream().filter(v -> org.flywaydb.core.api.MigrationVersion.fromVersion(v)
                        .isNewerThan(half)).count();
                out.add(call(rpc, "apply_to_dev {\"dry_run\": true} (" + left + " pending)", "apply_to_dev",
                        Map.of("dry_run", true)));
            }
            Size asked = call(rpc, "apply_to_dev {}", "apply_to_dev", Map.of());
            out.add(asked);
            out.add(confirm(rpc, asked, "apply_to_dev {\"confirm\": token}"));
            out.add(call(rpc, "status (after)", "status", Map.of()));
            Set<String> known = new TreeSet<>(versions(folder));
            out.add(call(rpc, "create_migration (2 statements)", "create_migration", Map.of("name", NEW_NAME, "sql", NEW_SQL)));
            List<String> added = versions(folder).stream().filter(v -> !known.contains(v)).toList();
            if (added.size() != 1) {
                throw new IllegalStateException("create_migration wrote " + added + " (expected one new file): " + cut(last));
            }
            String v = added.get(0);
            out.add(call(rpc, "show_sql {\"version\": new}", "show_sql", Map.of("version", v)));
            out.add(call(rpc, "apply_to_dev {\"dry_run\": true} (new)", "apply_to_dev", Map.of("dry_run", true)));
            Size applied = call(rpc, "apply_to_dev {} (new)", "apply_to_dev", Map.of());
            out.add(applied);
            if (applied.isError()) {
                out.add(confirm(rpc, applied, "apply_to_dev {\"confirm\": token} (new)"));
            }
            out.add(call(rpc, "backup {}", "backup", Map.of()));
        }
        return out;
    }

    static JsonNode last;

    /** The confirmed apply with the token {@code asked} gave, or a row saying why there was none. */
    static Size confirm(ServerBench.Rpc rpc, Size asked, String label) throws Exception {
        if (!asked.isError()) {
            return Size.skipped(label, "not asked: the apply needed no confirmation");
        }
        if (!"CONFIRMATION_REQUIRED".equals(asked.code())) {
            throw new IllegalStateException("apply_to_dev refused with " + asked.code() + ": " + cut(last));
        }
        String token = last.path("structuredContent").path("confirmation_token").asString();
        Size confirmed = call(rpc, label, "apply_to_dev", Map.of("confirm", token));
        if (confirmed.isError()) {
            throw new IllegalStateException("the confirmed apply failed: " + cut(last));
        }
        return confirmed;
    }

    /** One tools/call, measured; the result is kept in {@link #last}. */
    static Size call(ServerBench.Rpc rpc, String label, String tool, Map<String, Object> arguments) throws Exception {
        long t0 = System.nanoTime();
        JsonNode r;
        try {
            r = rpc.call(tool, arguments);
        } catch (IllegalStateException e) { // a JSON-RPC error instead of a result
            last = null;
            String m = e.getMessage();
            return Size.skipped(label, "JSON-RPC error: " + (m.length() > 200 ? m.substring(0, 200) + "…" : m));
        }
        double ms = HistoryBench.ms(t0);
        last = r;
        JsonNode sc = r.path("structuredContent");
        String json = sc.isMissingNode() ? "" : ServerBench.JSON.writeValueAsString(sc);
        int text = 0;
        for (JsonNode c : r.path("content")) {
            text += c.path("text").asString("").length();
        }
        boolean isError = r.path("isError").asBoolean(false);
        String code = isError ? sc.path("error").path("code").asString("(no error.code)") : null;
        List<Field> fields = fields(sc, json);
        int tokenAt = json.indexOf("\"confirmation_token\"");
        Size s = new Size(label, isError, code, json.length(), text, ms, fields, tokenAt, null);
        System.err.printf("%s: %s%,d chars, text %,d, %.0f ms%n", label, isError ? code + ", " : "", s.chars(), text, ms);
        return s;
    }

    /** Where each decisive top-level field stands in the compact JSON (checked against the whole). */
    static List<Field> fields(JsonNode sc, String json) {
        List<Field> out = new ArrayList<>();
        if (!sc.isObject()) {
            return out;
        }
        int pos = 1; // after "{"
        for (Map.Entry<String, JsonNode> e : sc.properties()) {
            int end = pos + ServerBench.JSON.writeValueAsString(e.getKey()).length() + 1
                    + ServerBench.JSON.writeValueAsString(e.getValue()).length();
            if (DECISIVE.contains(e.getKey())) {
                out.add(new Field(e.getKey(), pos, end));
            }
            pos = end + 1; // "," or the closing "}"
        }
        if (pos != json.length()) {
            throw new IllegalStateException("offsets do not add up: " + pos + " vs " + json.length());
        }
        return out;
    }

    static List<String> versions(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9._]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .sorted(java.util.Comparator.comparing(org.flywaydb.core.api.MigrationVersion::fromVersion)).toList();
        }
    }

    static long count(Path folder) throws Exception {
        return versions(folder).size();
    }

    static String cut(JsonNode r) {
        return r == null ? "(no result)" : HistoryBench.cut(r);
    }

    // ---- the tables

    static void print(Map<String, List<Size>> after, Map<String, List<Size>> old, Path before) {
        boolean b = before != null;
        System.out.println();
        System.out.println("Sizes: compact JSON of structuredContent (JSON.stringify), ≈ tokens = chars / 4; budget "
                + "8,000 chars for a default result (20,000 hard ceiling)." + (b ? " Before: " + before.getFileName() + "." : ""));
        System.out.println();
        System.out.println("| history | call | isError | structuredContent chars | ≈ tokens (chars/4) | text chars | within budget | ms"
                + (b ? " | before: isError | before: chars | before: ≈ tokens | before: text chars | before: within budget"
                        + " | before: ms | before/after |" : " |"));
        System.out.println("|---|---|---|---|---|---|---|---" + (b ? "|---|---|---|---|---|---|---|" : "|"));
        boolean first = true;
        for (var e : after.entrySet()) {
            List<Size> ours = e.getValue(), theirs = old.get(e.getKey());
            for (int i = first ? 0 : 1; i < ours.size(); i++) { // tools/list once: the same in every project
                Size a = ours.get(i);
                Size o = theirs == null ? null : find(theirs, a.call(), i);
                String history = i == 0 ? "—" : e.getKey();
                System.out.println("| " + history + " | " + a.call() + " | " + cells(a)
                        + (b ? " | " + (o == null ? "— | — | — | — | — | — | —" : cells(o) + " | " + ratio(o, a)) : "") + " |");
            }
            first = false;
        }
        System.out.println();
        System.out.println("Decisive fields (top-level error, at_risk, confirmation_token, expires_at, next, those present): "
                + "offset of the key – offset past the value in the compact JSON; ✓ = ends inside the first 8,000 chars; results with none of them are left out.");
        System.out.println();
        System.out.println("| history | call | fields | confirmation_token at" + (b ? " | before: fields | before: confirmation_token at |" : " |"));
        System.out.println("|---|---|---|---" + (b ? "|---|---|" : "|"));
        for (var e : after.entrySet()) {
            List<Size> ours = e.getValue(), theirs = old.get(e.getKey());
            for (int i = 0; i < ours.size(); i++) {
                Size a = ours.get(i);
                Size o = theirs == null ? null : find(theirs, a.call(), i);
                boolean any = !a.fields().isEmpty() || o != null && !o.fields().isEmpty();
                if (!any) {
                    continue;
                }
                System.out.println("| " + e.getKey() + " | " + a.call() + " | " + fieldCells(a)
                        + (b ? " | " + (o == null ? "— | —" : fieldCells(o)) : "") + " |");
            }
        }
        for (var e : after.entrySet()) {
            System.out.println();
            System.out.println(e.getKey() + ": " + total(e.getValue()) + (old.containsKey(e.getKey())
                    ? "; before: " + total(old.get(e.getKey())) : ""));
        }
    }

    /** The same call in the other jar's session (by label; the optional confirmations may shift the index). */
    static Size find(List<Size> sizes, String call, int index) {
        if (index < sizes.size() && sizes.get(index).call().equals(call)) {
            return sizes.get(index);
        }
        return sizes.stream().filter(s -> s.call().equals(call)).findFirst().orElse(null);
    }

    static String cells(Size s) {
        if (!s.measured()) {
            return "— (" + s.rpcError() + ") | — | — | — | — | —";
        }
        boolean tool = s.text() >= 0;
        return String.join(" | ", s.isError() ? "yes: " + s.code() : "no", String.format("%,d", s.chars()),
                String.format("%,d", Math.round(s.chars() / 4.0)), tool ? String.format("%,d", s.text()) : "—",
                tool ? budget(s.chars()) : "(not a tool result)", String.format("%.0f", s.ms()));
    }

    static String budget(int chars) {
        return chars <= BUDGET ? "yes" : chars <= CEILING ? "over 8,000, under the 20,000 ceiling" : "**no** (over 20,000)";
    }

    static String ratio(Size before, Size after) {
        return before.measured() && after.measured() && after.chars() > 0
                ? String.format(before.chars() >= 10.0 * after.chars() ? "%.0fx" : "%.2fx", (double) before.chars() / after.chars())
                : "—";
    }

    static String fieldCells(Size s) {
        if (!s.measured()) {
            return "— | —";
        }
        String fields = s.fields().isEmpty() ? "(none)" : String.join("; ", s.fields().stream().map(Field::toString).toList());
        return fields + " | " + (s.tokenAt() < 0 ? "—" : String.format("%,d", s.tokenAt()));
    }

    static String total(List<Size> sizes) {
        long chars = 0;
        int over = 0, calls = 0;
        for (Size s : sizes) {
            if (s.measured() && s.text() >= 0) {
                chars += s.chars();
                calls++;
                over += s.chars() > BUDGET ? 1 : 0;
            }
        }
        return String.format("%d tool calls, %,d chars (≈ %,d tokens) of structuredContent in all, %d over 8,000", calls, chars,
                Math.round(chars / 4.0), over);
    }
}
