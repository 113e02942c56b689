package dev.safemigrate.db;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A map that remembers, since the last {@link #commit}, what each changed key held before: the
 * dry run diffs a statement by those keys alone, and undoes the statement's changes when it rolls
 * the statement back to count what it destroys. Values are never null.
 */
final class JournaledMap<K, V> {

    private final Map<K, V> current = new HashMap<>();
    /** key → its value before the first change since the last commit; null: it was absent. */
    private final Map<K, V> before = new HashMap<>();

    V get(K key) {
        return current.get(key);
    }

    void put(K key, V value) {
        remember(key);
        current.put(key, value);
    }

    void remove(K key) {
        if (current.containsKey(key)) {
            remember(key);
            current.remove(key);
        }
    }

    private void remember(K key) {
        if (!before.containsKey(key)) {
            before.put(key, current.get(key));
        }
    }

    void commit() {
        before.clear();
    }

    void undo() {
        before.forEach((k, v) -> {
            if (v == null) {
                current.remove(k);
            } else {
                current.put(k, v);
            }
        });
        before.clear();
    }

    /** The changed keys with their values before the changes (absent keys left out). */
    Map<K, V> changedBefore() {
        Map<K, V> out = new HashMap<>();
        before.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The changed keys with their values now (absent keys left out). */
    Map<K, V> changedNow() {
        Map<K, V> out = new HashMap<>();
        for (K k : before.keySet()) {
            V v = current.get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    Map<K, V> view() {
        return Collections.unmodifiableMap(current);
    }
}
