package dev.safemigrate.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed between two catalog snapshots. Objects are named "kind schema.name" (columns
 * "column schema.table.column"); {@code altered} says from what to what.
 *
 * @param rewritten tables whose storage was replaced (relfilenode changed): a full rewrite under
 *                  an ACCESS EXCLUSIVE lock, or a TRUNCATE
 */
public record SchemaDiff(List<String> created, List<String> dropped, List<String> altered, List<String> rewritten) {

    public SchemaDiff {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
        altered = List.copyOf(altered);
        rewritten = List.copyOf(rewritten);
    }

    public static SchemaDiff between(CatalogSnapshot before, CatalogSnapshot after) {
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.objects().keySet());
        keys.addAll(after.objects().keySet());
        for (String key : keys) {
            String was = before.objects().get(key);
            String now = after.objects().get(key);
            if (was == null) {
                created.add(key);
            } else if (now == null) {
                dropped.add(key);
            } else if (!was.equals(now)) {
                altered.add(key + ": " + was + " → " + now);
            }
        }
        List<String> rewritten = new ArrayList<>();
        for (Map.Entry<String, Long> e : before.relfilenodes().entrySet()) {
            Long now = after.relfilenodes().get(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                rewritten.add(e.getKey());
            }
        }
        rewritten.sort(null);
        return new SchemaDiff(created, dropped, altered, rewritten);
    }

    /** Dropped tables and columns, whose rows or values are lost; a dropped table's columns go with it. */
    public List<String> droppedData() {
        return dropped.stream()
                .filter(d -> d.startsWith("table ") || d.startsWith("materialized view ")
                        || (d.startsWith("column ") && !dropped.contains("table " + tableOf(d))))
                .toList();
    }

    /** Columns whose type changed, as "schema.table.column" (the column state starts with its type). */
    public List<String> retypedColumns() {
        List<String> out = new ArrayList<>();
        for (String a : altered) {
            if (!a.startsWith("column ")) {
                continue;
            }
            int colon = a.indexOf(": ");
            String[] states = a.substring(colon + 2).split(" → ", 2);
            if (states.length == 2 && !typeOf(states[0]).equals(typeOf(states[1]))) {
                out.add(a.substring("column ".length(), colon));
            }
        }
        return out;
    }

    private static String typeOf(String columnState) {
        int nullability = columnState.indexOf(" not null");
        if (nullability < 0) {
            nullability = columnState.indexOf(" null");
        }
        return nullability < 0 ? columnState : columnState.substring(0, nullability);
    }

    private static String tableOf(String column) {
        String qualified = column.substring("column ".length());
        return qualified.substring(0, qualified.lastIndexOf('.'));
    }

    public String summary() {
        return created.size() + " created, " + dropped.size() + " dropped, " + altered.size() + " altered, "
                + rewritten.size() + " rewritten";
    }
}
