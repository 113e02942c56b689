package dev.safemigrate.tools;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.safemigrate.db.OtherMigrationTools;
import dev.safemigrate.db.SchemaState;

/**
 * What changed in the development database's schema outside safemigrate: the objects created,
 * dropped and altered since the {@link SchemaRecord} safemigrate wrote after its last apply, by
 * name, and who most likely did it. Pure: the record and the schema as it is now in, the answer out.
 *
 * <p>A created or dropped table's columns and constraints are not listed beside it: the table says it.
 *
 * @param from the record's digest, {@code to} the schema's now: a confirmation covers exactly this change
 */
public record Drift(State state, Instant since, String from, String to, List<String> created, List<String> dropped,
             List<String> altered, String likelyCause, String note) {

    public enum State {
        /** The schema is as safemigrate left it. */
        NONE,
        /** Objects were created, dropped or altered outside safemigrate since. */
        CHANGED,
        /** No record yet for this database: the next apply writes one. */
        NO_BASELINE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a result shows: the counts, as many names as fit, and the cause. */
    public record View(State state, Instant since, Counts counts, List<String> created, List<String> dropped,
                       List<String> altered, String likelyCause, String note, Instant recorded) {}

    public record Counts(int created, int dropped, int altered) {}

    /** A {@link View} fitted into a part of a result, and what it left out. */
    record Fitted(View view, Truncated cut) {}

    /** The part of a result the drift takes at most: its counts and cause always, then names while they fit. */
    static final int CHARS = 1_500;
    /** The list of status that pages every name. */
    static final String LIST = "drift";
    private static final int NAMED_IN_ONE_LINE = 3;

    public Drift {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
        altered = List.copyOf(altered);
    }

    static Drift noBaseline(String note) {
        return new Drift(State.NO_BASELINE, null, null, null, List.of(), List.of(), List.of(), null, note);
    }

    /** The record's stamp is the catalog's now: nothing to read. */
    static Drift none(SchemaRecord record) {
        return new Drift(State.NONE, record.recordedAt(), record.digest(), record.digest(), List.of(), List.of(), List.of(),
                null, null);
    }

    /** The objects now against the record's: what was created, dropped and altered, and the likely cause. */
    static Drift between(SchemaRecord record, SchemaState now) {
        Map<String, String> was = record.objects();
        Map<String, String> is = now.objects();
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(is.keySet());
        for (String key : keys) {
            String before = was.get(key);
            String after = is.get(key);
            if (before == null) {
                created.add(key);
            } else if (after == null) {
                dropped.add(key);
            } else if (!before.equals(after)) {
                altered.add(key);
            }
        }
        if (created.isEmpty() && dropped.isEmpty() && altered.isEmpty()) {
            // a grant, a new owner, a truncate: the catalog was written, no object changed
            return new Drift(State.NONE, record.recordedAt(), record.digest(), now.digest(), List.of(), List.of(),
                    List.of(), null, null);
        }
        String cause = likelyCause(record, now, dropped);
        return new Drift(State.CHANGED, record.recordedAt(), record.digest(), now.digest(), folded(created),
                folded(dropped), altered, cause, null);
    }

    boolean changed() {
        return state == State.CHANGED;
    }

    int total() {
        return created.size() + dropped.size() + altered.size();
    }

    /** Every name, as status pages them: "created table public.audit", "dropped …", "altered …". */
    List<String> entries() {
        List<String> out = new ArrayList<>();
        created.forEach(k -> out.add("created " + k));
        dropped.forEach(k -> out.add("dropped " + k));
        altered.forEach(k -> out.add("altered " + k));
        return out;
    }

    /**
     * What a person is asked about before an apply runs on this schema: one risk, bound to exactly
     * this change (the record's digest and the digest now), so a confirmation or an approval of
     * one drift never covers another.
     */
    List<AtRisk> atRisk() {
        if (!changed()) {
            return List.of();
        }
        List<String> named = entries().stream().limit(NAMED_IN_ONE_LINE).toList();
        String what = total() + " object(s) changed outside safemigrate since " + since + ": " + String.join(", ", named)
                + (total() > named.size() ? " and " + (total() - named.size()) + " more" : "")
                + "; likely cause: " + likelyCause;
        return List.of(AtRisk.ofDatabase("drift/" + from + "/" + to, Budget.clip(what, 600)));
    }

    /** @param recorded when this call wrote a new record, else null */
    Fitted fit(int chars, Instant recorded) {
        List<String> all = entries();
        View whole = view(all.size(), recorded);
        if (ResultJson.length(whole) <= chars) {
            return new Fitted(whole, null);
        }
        View shown = Budget.largestWithin(all.size(), chars, n -> view(n, recorded));
        int n = (shown.created() == null ? 0 : shown.created().size()) + (shown.dropped() == null ? 0 : shown.dropped().size())
                + (shown.altered() == null ? 0 : shown.altered().size());
        return new Fitted(shown, new Truncated(n, all.size(), NextCall.of("status", "list", LIST), LIST, null));
    }

    /** The view naming the first {@code n} of {@link #entries()}: created first, then dropped, then altered. */
    private View view(int n, Instant recorded) {
        Counts counts = changed() ? new Counts(created.size(), dropped.size(), altered.size()) : null;
        int c = Math.min(n, created.size());
        int d = Math.min(n - c, dropped.size());
        int a = Math.min(n - c - d, altered.size());
        return new View(state, since, counts, changed() ? created.subList(0, c) : null,
                changed() ? dropped.subList(0, d) : null, changed() ? altered.subList(0, a) : null, likelyCause,
                recorded != null && state == State.NO_BASELINE ? null : note, recorded);
    }

    /** Columns and constraints of a table created or dropped with them go without saying. */
    private static List<String> folded(List<String> keys) {
        Set<String> tables = new HashSet<>();
        for (String k : keys) {
            if (k.startsWith("table ")) {
                tables.add(k.substring("table ".length()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            boolean part = k.startsWith("column ") || k.startsWith("constraint ");
            String name = k.substring(k.indexOf(' ') + 1);
            if (!(part && name.lastIndexOf('.') > 0 && tables.contains(name.substring(0, name.lastIndexOf('.'))))) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Who most likely changed the schema, from what the migration tools' histories say: a tool that
     * changes the schema through its migrations writes a history row; {@code prisma db push}, an
     * ORM's schema sync and DDL typed into psql write none.
     */
    static String likelyCause(SchemaRecord record, SchemaState now, List<String> dropped) {
        List<String> tools = new ArrayList<>();
        for (Map.Entry<String, Long> h : now.otherHistories().entrySet()) {
            Long before = record.otherHistories().get(h.getKey());
            String table = h.getKey().substring(h.getKey().lastIndexOf('.') + 1);
            if (before == null) {
                tools.add(command(table) + " (its history table " + h.getKey() + " appeared)");
            } else if (h.getValue() > before) {
                tools.add(command(table) + " (" + h.getKey() + " has " + (h.getValue() - before) + " new row(s))");
            }
        }
        if (!tools.isEmpty()) {
            return String.join("; ", tools);
        }
        boolean historyGone = dropped.stream().anyMatch(k -> k.startsWith("table ") && k.endsWith(".flyway_schema_history"));
        if (historyGone) {
            return "the schema was dropped or reset outside safemigrate (prisma migrate reset, DROP SCHEMA … CASCADE, "
                    + "pg_restore --clean): Flyway's history table is gone";
        }
        boolean historyMoved = now.history().rows() != record.historyRows() || !now.history().md5().equals(record.historyMd5());
        if (historyMoved) {
            long added = now.history().rows() - record.historyRows();
            return "Flyway run outside safemigrate (flyway migrate, the application's Flyway at startup): "
                    + "flyway_schema_history " + (added > 0 ? "has " + added + " new row(s)" : "changed");
        }
        boolean prisma = now.otherHistories().keySet().stream().anyMatch(t -> t.endsWith("._prisma_migrations"));
        return prisma
                ? "prisma db push or DDL run by hand (psql): this database has Prisma's history table and no migration "
                + "history recorded the change (db push writes none)"
                : "DDL run outside safemigrate (psql, prisma db push, an ORM's schema sync, another tool): no migration "
                + "history recorded it";
    }

    private static String command(String historyTable) {
        return switch (OtherMigrationTools.tool(historyTable)) {
            case "Prisma" -> "prisma migrate (deploy, dev or reset)";
            case "Django" -> "Django's migrate";
            case "Liquibase" -> "liquibase update";
            default -> OtherMigrationTools.tool(historyTable) + " migrations";
        };
    }
}
