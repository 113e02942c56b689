package dev.safemigrate.db;

import java.util.Map;

/**
 * The user-visible schema at one instant, as the catalogs describe it: each object by a stable
 * key ("table public.orders", "column public.orders.note", …) with a description of its state,
 * so two snapshots diff into created, dropped and altered objects.
 *
 * @param objects     key → state (type, nullability, default, validated flag, definition…)
 * @param relfilenodes "schema.table" → relfilenode: a change means the table was rewritten (or truncated)
 * @param relationNames relation oid → "schema.name", to name locks on relations a statement dropped
 */
public record CatalogSnapshot(Map<String, String> objects, Map<String, Long> relfilenodes,
                              Map<Long, String> relationNames) {

    public CatalogSnapshot {
        objects = Map.copyOf(objects);
        relfilenodes = Map.copyOf(relfilenodes);
        relationNames = Map.copyOf(relationNames);
    }
}
