package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The schema as the dry run goes, kept up to date statement by statement. Reading the whole
 * catalog after each statement that wrote to it costs time that grows with the schema; this
 * re-reads only the owners whose catalog rows the statement wrote ({@link CatalogChanges}) and
 * keeps everything else. A name changed that other definitions print is followed to those
 * definitions through pg_depend ({@link RenameDependents}). Where that could miss a change — a
 * schema renamed, a change in pg_catalog or a naming catalog, or a write the scan cannot account
 * for — it reads the whole schema, as before: a full read only costs time, a missed change would
 * hide what a migration does. Rows deleted are found by reading the keys of the kinds of object
 * they make keys of ({@link CatalogReader#partsLosingKeys}).
 */
final class TrackedCatalog {

    /** How the catalog is read after a statement; {@link #FULL} is the reference the tests hold the other to. */
    enum Reads { TARGETED, FULL }

    private record Owned(Set<String> objects, Set<String> relfilenodes) {
        static final Owned NONE = new Owned(Set.of(), Set.of());
    }

    private final Reads reads;
    private final JournaledMap<String, String> objects = new JournaledMap<>();
    private final JournaledMap<String, Long> relfilenodes = new JournaledMap<>();
    private final JournaledMap<String, Owned> owned = new JournaledMap<>();
    /** Names of catalog rows, to notice renames; see {@link CatalogChanges#names()}. */
    private final JournaledMap<String, String> names = new JournaledMap<>();
    /** Every relation name seen in this dry run, dropped ones included: they name the locks a drop leaves. */
    private final Map<Long, String> relationNames = new HashMap<>();
    private int floor = CatalogChanges.FIRST_FLOOR;
    private int fullReads;

    private TrackedCatalog(Reads reads) {
        this.reads = reads;
    }

    static TrackedCatalog start(Connection c, Reads reads) throws SQLException {
        TrackedCatalog catalog = new TrackedCatalog(reads);
        catalog.readAll(c);
        if (reads == Reads.TARGETED) {
            CatalogChanges.names(c).forEach(catalog.names::put);
        }
        catalog.beginStatement();
        return catalog;
    }

    /** Forgets what the previous statement changed: it stays. */
    void beginStatement() {
        objects.commit();
        relfilenodes.commit();
        owned.commit();
        names.commit();
    }

    /** Puts back the catalog as it was before the current statement, which was rolled back. */
    void undoStatement() {
        objects.undo();
        relfilenodes.undo();
        owned.undo();
        names.undo();
    }

    /**
     * Brings the catalog up to date after the current statement.
     *
     * @param before  the write counters before the statement, {@code after} after it
     * @param changes the rows the statement wrote, read with the counters ({@link CatalogChanges#QUERY})
     * @return what the statement changed
     */
    SchemaDiff afterStatement(Connection c, CatalogWrites before, CatalogWrites after, CatalogChanges changes)
            throws SQLException {
        if (reads == Reads.FULL) {
            readAll(c);
            return diff();
        }
        if (!after.changedSince(before)) {
            return diff();
        }
        floor = Math.min(floor, changes.floor());
        Set<String> renamed = new HashSet<>();
        for (Map.Entry<String, String> e : changes.names().entrySet()) {
            String was = names.get(e.getKey());
            if (was != null && !was.equals(e.getValue()) && !e.getValue().isEmpty()) {
                renamed.add(e.getKey());
            }
            names.put(e.getKey(), e.getValue());
        }
        boolean unfound = false;
        Set<Integer> deletedFrom = new HashSet<>();
        for (int i = 0; i < CatalogWrites.SNAPSHOT.size(); i++) {
            // rows inserted or updated, none found (written and deleted again, or under an xid we
            // did not expect): if one is still there, it changed an object whose key stayed the
            // same, which only reading the whole schema would see. A catalog written with none of
            // the statement's rows found and nothing inserted or updated there had rows deleted.
            unfound |= changes.rows()[i] == 0 && after.insertedOrUpdated(before, i) > 0;
            if (after.deletedFrom(before, i)) {
                deletedFrom.add(i);
            }
        }
        boolean schemaRenamed = renamed.stream().anyMatch(key -> key.startsWith("n"));
        if (schemaRenamed || changes.system() || after.namingWrittenSince(before) || unfound) {
            readAll(c);
            return diff();
        }
        CatalogReader.Owners written = changes.owners();
        if (!renamed.isEmpty()) {
            // what prints a renamed object's name: its dependents, whose own rows did not change
            Set<String> ids = written.ids();
            ids.addAll(RenameDependents.owners(c, renamed));
            written = CatalogReader.Owners.of(ids);
        }
        if (!deletedFrom.isEmpty()) {
            readOwnersAndVanished(c, written, CatalogReader.partsLosingKeys(deletedFrom));
        } else {
            readOwners(c, written);
        }
        return diff();
    }

    /**
     * After a statement that deleted catalog rows, whose owners the scan by xmin cannot name (the
     * rows are gone): the keys of every object of the parts those catalogs make keys of
     * ({@link CatalogReader#partsLosingKeys}) are read without their states (a fraction of a whole
     * read: no view, index, constraint or default is printed), and the owners whose keys there are
     * not those this snapshot holds are read again with the ones the statement wrote. A
     * deleted row either takes its object's key with it (a dropped table, column default aside,
     * index, constraint, function, type, schema) or comes with a write to its owner's rows that
     * the scan finds (a default dropped sets its column's {@code atthasdef}); what else could
     * change an object's state without its own rows is a rename (its dependents are among
     * {@code written}) or a naming catalog (read in whole above). {@code TargetedCatalogReadsTest}
     * holds it to whole reads.
     */
    private void readOwnersAndVanished(Connection c, CatalogReader.Owners written, Set<CatalogReader.Part> parts)
            throws SQLException {
        Collector now = new Collector();
        CatalogReader.readKeys(c, now, parts);
        Set<String> ids = written.ids();
        owned.view().forEach((id, held) -> {
            Owned found = now.owned.getOrDefault(id, Owned.NONE);
            Set<String> keys = new HashSet<>();
            for (String key : held.objects()) {
                if (parts.stream().anyMatch(part -> part.reads(key))) {
                    keys.add(key);
                }
            }
            if (!keys.equals(found.objects())) {
                ids.add(id);
            }
        });
        for (String id : now.owned.keySet()) {
            if (owned.get(id) == null) {
                ids.add(id);
            }
        }
        readOwners(c, CatalogReader.Owners.of(ids));
    }

    /** The age below which rows belong to the next statement; see {@link CatalogChanges}. */
    int floor() {
        return floor;
    }

    CatalogSnapshot snapshot() {
        return new CatalogSnapshot(objects.view(), relfilenodes.view(), relationNames);
    }

    Map<Long, String> relationNames() {
        return relationNames;
    }

    /** How many times the whole schema was read, the first included. */
    int fullReads() {
        return fullReads;
    }

    private SchemaDiff diff() {
        return SchemaDiff.between(new CatalogSnapshot(objects.changedBefore(), relfilenodes.changedBefore(), Map.of()),
                new CatalogSnapshot(objects.changedNow(), relfilenodes.changedNow(), Map.of()));
    }

    private void readAll(Connection c) throws SQLException {
        fullReads++;
        Collector found = new Collector();
        CatalogReader.readAll(c, found);
        Set<String> ownerIds = new HashSet<>(found.owned.keySet());
        for (String id : owned.view().keySet()) {
            ownerIds.add(id);
        }
        replace(ownerIds, found);
    }

    private void readOwners(Connection c, CatalogReader.Owners owners) throws SQLException {
        Collector found = new Collector();
        CatalogReader.read(c, owners, found);
        replace(owners.ids(), found);
    }

    /**
     * Replaces what these owners held with what was found for them: first every key they lost,
     * then every key they hold now, so a key that moved from one owner to another stays.
     */
    private void replace(Set<String> ownerIds, Collector found) {
        for (String id : ownerIds) {
            Owned was = owned.get(id) == null ? Owned.NONE : owned.get(id);
            Owned now = found.owned.getOrDefault(id, Owned.NONE);
            was.objects().stream().filter(key -> !now.objects().contains(key)).forEach(objects::remove);
            was.relfilenodes().stream().filter(key -> !now.relfilenodes().contains(key)).forEach(relfilenodes::remove);
        }
        for (String id : ownerIds) {
            Owned was = owned.get(id) == null ? Owned.NONE : owned.get(id);
            Owned now = found.owned.getOrDefault(id, Owned.NONE);
            for (String key : now.objects()) {
                String state = found.objects.get(key);
                if (!state.equals(objects.get(key))) {
                    objects.put(key, state);
                }
            }
            for (String key : now.relfilenodes()) {
                Long node = found.relfilenodes.get(key);
                if (!node.equals(relfilenodes.get(key))) {
                    relfilenodes.put(key, node);
                }
            }
            if (now == Owned.NONE) {
                owned.remove(id);
            } else if (!now.equals(was)) {
                owned.put(id, now);
            }
        }
        relationNames.putAll(found.relationNames);
    }

    private static final class Collector implements CatalogReader.Sink {
        final Map<String, String> objects = new HashMap<>();
        final Map<String, Long> relfilenodes = new HashMap<>();
        final Map<String, Owned> owned = new HashMap<>();
        final Map<Long, String> relationNames = new HashMap<>();

        private Owned owner(String id) {
            return owned.computeIfAbsent(id, k -> new Owned(new HashSet<>(), new HashSet<>()));
        }

        @Override
        public void object(String owner, String key, String state) {
            objects.put(key, state);
            owner(owner).objects().add(key);
        }

        @Override
        public void relfilenode(String owner, String relation, long relfilenode) {
            relfilenodes.put(relation, relfilenode);
            owner(owner).relfilenodes().add(relation);
        }

        @Override
        public void relation(long oid, String name) {
            relationNames.put(oid, name);
        }
    }
}
