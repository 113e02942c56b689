package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ALTER COLUMN … TYPE} of an ALTER TABLE, and what it does to a column whose current
 * type the catalog knows. PostgreSQL skips the rewrite only when the old type is binary-coercible
 * to the new one and no USING changes the values ("ALTER TABLE", Notes); of those, a longer length
 * or precision limit also skips the scan, which is what makes the widenings here safe.
 *
 * @param column  the column as PostgreSQL stores its name (unquoted names lowercased)
 * @param newType the type as written, tokens joined ({@code varchar ( 20 )})
 * @param using   whether a USING expression computes the new values
 */
public record ColumnTypeChange(String column, String newType, boolean using) {

    /** What changing from the catalog's type to the written one does. */
    public enum Effect {
        /** the same type and limits: only a brief catalog lock */
        NONE,
        /** binary-compatible and no tighter: no rewrite, no scan */
        WIDENING,
        /** a tighter limit: every value is checked and rewritten, and one that does not fit fails the migration */
        NARROWING,
        /** another type: the table and its indexes are rewritten, and a value that does not convert fails it */
        REWRITE
    }

    /** The type changes in an ALTER TABLE statement, in order. */
    public static List<ColumnTypeChange> in(StatementTokens t) {
        List<ColumnTypeChange> out = new ArrayList<>();
        int i = 0;
        while (i < t.size() && !t.isWord(i, "table")) {
            i++;
        }
        i++;
        if (t.wordsAt(i, "if", "exists")) {
            i += 2;
        }
        if (t.isWord(i, "only")) {
            i++;
        }
        StatementTokens.QualifiedName table = t.nameAt(i);
        if (table == null) {
            return out;
        }
        for (int[] seg : t.segments(table.next(), t.size(), 0)) {
            int a = seg[0];
            if (!t.isWord(a, "alter")) {
                continue;
            }
            a++;
            if (t.isWord(a, "column")) {
                a++;
            }
            SqlToken column = t.get(a);
            if (column == null || !column.isName()) {
                continue;
            }
            int typeAt = t.isWord(a + 1, "type") ? a + 2 : t.wordsAt(a + 1, "set", "data", "type") ? a + 4 : -1;
            if (typeAt < 0) {
                continue;
            }
            int end = seg[1];
            int using = t.find(typeAt, end, "using");
            int collate = t.find(typeAt, end, "collate");
            int typeEnd = Math.min(using < 0 ? end : using, collate < 0 ? end : collate);
            StringBuilder type = new StringBuilder();
            for (int k = typeAt; k < typeEnd; k++) {
                type.append(type.isEmpty() ? "" : " ").append(t.get(k).text());
            }
            // a COLLATE changes how values compare: indexes are rebuilt, so it is never a plain widening
            out.add(new ColumnTypeChange(column.text(), type.toString(), using >= 0 || collate >= 0));
        }
        return out;
    }

    /** What this change does to a column of the given type ({@code format_type}, as the catalog spells it). */
    public Effect effectOn(String currentType) {
        Type from = Type.parse(currentType);
        Type to = Type.parse(newType);
        if (from == null || to == null || using) {
            return Effect.REWRITE;
        }
        if (from.equals(to)) {
            return Effect.NONE;
        }
        if (from.array() != to.array()) {
            return Effect.REWRITE;
        }
        return switch (from.base() + "→" + to.base()) {
            // a length limit only: text and varchar are the same bytes
            case "varchar→varchar", "varchar→text", "text→varchar", "text→text", "varbit→varbit" ->
                    looser(from, to) ? Effect.WIDENING : Effect.NARROWING;
            case "numeric→numeric" -> to.mods().isEmpty()
                    || from.mods().size() == 2 && to.mods().size() == 2 && to.mods().get(1).equals(from.mods().get(1))
                    && to.mods().get(0) >= from.mods().get(0) ? Effect.WIDENING : Effect.NARROWING;
            case "cidr→inet" -> Effect.WIDENING;
            // the values are converted, and one out of the new range fails the migration
            case "int8→int4", "int8→int2", "int4→int2", "float8→float4" -> Effect.NARROWING;
            default -> Effect.REWRITE;
        };
    }

    /** Whether the new type accepts every value of the old one without a check: no limit, or a larger one. */
    private static boolean looser(Type from, Type to) {
        if (to.mods().isEmpty()) {
            return true;
        }
        return !from.mods().isEmpty() && to.mods().get(0) >= from.mods().get(0);
    }

    /** A type reduced to a base name and its limits; text is a varchar without one. */
    record Type(String base, List<Integer> mods, boolean array) {

        private static final Pattern SHAPE = Pattern.compile(
                "([a-z0-9_ ]+?)\\s*(?:\\(\\s*([0-9]+)\\s*(?:,\\s*(-?[0-9]+)\\s*)?\\))?\\s*((?:with|without) time zone)?\\s*((?:\\[\\s*\\]\\s*)*)");

        private static final Map<String, String> ALIASES = Map.ofEntries(
                Map.entry("character varying", "varchar"), Map.entry("char varying", "varchar"),
                Map.entry("character", "bpchar"), Map.entry("char", "bpchar"),
                Map.entry("int", "int4"), Map.entry("integer", "int4"), Map.entry("bigint", "int8"),
                Map.entry("smallint", "int2"), Map.entry("decimal", "numeric"),
                Map.entry("double precision", "float8"), Map.entry("real", "float4"), Map.entry("float", "float8"),
                Map.entry("bit varying", "varbit"));

        static Type parse(String text) {
            String s = text.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
            if (s.startsWith("pg_catalog . ") || s.startsWith("pg_catalog.")) {
                s = s.substring(s.indexOf('.') + 1).trim();
            }
            Matcher m = SHAPE.matcher(s);
            if (!m.matches()) {
                return null;
            }
            String base = m.group(1).trim();
            List<Integer> mods = new ArrayList<>();
            if (m.group(2) != null) {
                mods.add(Integer.parseInt(m.group(2)));
            }
            if (m.group(3) != null) {
                mods.add(Integer.parseInt(m.group(3)));
            }
            String zone = m.group(4);
            if (base.startsWith("timestamp") || base.startsWith("time")) {
                boolean tz = base.endsWith("tz") || "with time zone".equals(zone);
                base = (base.startsWith("timestamp") ? "timestamp" : "time") + (tz ? "tz" : "");
            } else if (zone != null) {
                return null;
            }
            base = ALIASES.getOrDefault(base, base);
            if (base.equals("text")) {
                base = "varchar";   // text is varchar without a limit: same storage, binary-coercible both ways
            }
            if (base.equals("varchar") && mods.size() > 1 || base.contains(" ")) {
                return null;
            }
            return new Type(base, List.copyOf(mods), !m.group(5).isEmpty());
        }
    }
}
