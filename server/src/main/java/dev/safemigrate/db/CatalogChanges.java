package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog rows a statement of the dry run wrote, found by their xmin. Each statement runs
 * in a subtransaction of its own, whose xid is newer than every xid of the statements before it;
 * {@code pg_catalog.age(xmin)} counts from this transaction's (stable) xid, so rows written in
 * it have an age of 0 or less, and the rows of the latest statement an age below every age seen
 * before (the "floor"). The rows name the owners to re-read ({@link CatalogReader.Owners}) and
 * carry the names a later rename would change ({@link #names}).
 *
 * <p>What a scan by xmin cannot see: a row deleted (it is gone), and a change to another object's
 * name that shows in the definition of an object whose own rows did not change (a renamed table
 * in a view, a foreign key, an index). The first shows in the deletion counters, the second as a
 * known row whose name changed; in both cases the dry run reads the whole schema instead.
 *
 * @param names       "c"/"a"/"k"/"p"/"t"/"e"/"n" + oid (attributes: relation oid.attnum) → the
 *                    name the row now carries (with its schema's oid where it has one); "" for a
 *                    dropped column
 * @param system      whether a row in pg_catalog or information_schema changed: names there are
 *                    not tracked, so the caller must read the whole schema
 * @param floor       the lowest age among the rows, for the next statement
 * @param rows        rows found per catalog, in {@link CatalogWrites#SNAPSHOT} order
 */
record CatalogChanges(CatalogReader.Owners owners, Map<String, String> names, boolean system, int floor, int[] rows) {

    /** One branch per catalog of {@link CatalogWrites#SNAPSHOT}: registry key, name, owner, schema oid, age. */
    private static final List<String> BRANCHES = List.of(
            "select 0, 'n' operator(pg_catalog.||) n.oid, n.nspname::pg_catalog.text, 'n' operator(pg_catalog.||) n.oid, n.oid, pg_catalog.age(n.xmin)"
                    + " from pg_catalog.pg_namespace n where %s",
            "select 1, 'c' operator(pg_catalog.||) c.oid, c.relnamespace operator(pg_catalog.||) '/' operator(pg_catalog.||) c.relname, 'c' operator(pg_catalog.||) c.oid, c.relnamespace, pg_catalog.age(c.xmin)"
                    + " from pg_catalog.pg_class c where %s",
            "select 2, case when a.attnum operator(pg_catalog.>) 0 then 'a' operator(pg_catalog.||) a.attrelid operator(pg_catalog.||) '.' operator(pg_catalog.||) a.attnum end,"
                    + " case when a.attisdropped then '' else a.attname::pg_catalog.text end, 'c' operator(pg_catalog.||) a.attrelid, c.relnamespace,"
                    + " pg_catalog.age(a.xmin) from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) a.attrelid where %s",
            "select 3, null, null, 'c' operator(pg_catalog.||) d.adrelid, c.relnamespace, pg_catalog.age(d.xmin)"
                    + " from pg_catalog.pg_attrdef d join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) d.adrelid where %s",
            "select 4, 'k' operator(pg_catalog.||) k.oid, k.conname::pg_catalog.text,"
                    + " case when k.conrelid operator(pg_catalog.<>) 0 then 'c' operator(pg_catalog.||) k.conrelid else 't' operator(pg_catalog.||) k.contypid end,"
                    + " k.connamespace, pg_catalog.age(k.xmin) from pg_catalog.pg_constraint k where %s",
            "select 5, null, null, 'c' operator(pg_catalog.||) x.indexrelid, c.relnamespace, pg_catalog.age(x.xmin)"
                    + " from pg_catalog.pg_index x join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) x.indexrelid where %s",
            "select 6, 'p' operator(pg_catalog.||) p.oid, p.pronamespace operator(pg_catalog.||) '/' operator(pg_catalog.||) p.proname, 'p' operator(pg_catalog.||) p.oid, p.pronamespace, pg_catalog.age(p.xmin)"
                    + " from pg_catalog.pg_proc p where %s",
            "select 7, 't' operator(pg_catalog.||) t.oid, t.typnamespace operator(pg_catalog.||) '/' operator(pg_catalog.||) t.typname, 't' operator(pg_catalog.||) t.oid, t.typnamespace, pg_catalog.age(t.xmin)"
                    + " from pg_catalog.pg_type t where %s",
            "select 8, 'e' operator(pg_catalog.||) e.oid, e.enumlabel::pg_catalog.text, 't' operator(pg_catalog.||) e.enumtypid, t.typnamespace, pg_catalog.age(e.xmin)"
                    + " from pg_catalog.pg_enum e join pg_catalog.pg_type t on t.oid operator(pg_catalog.=) e.enumtypid where %s",
            "select 9, null, null, 'c' operator(pg_catalog.||) r.ev_class, c.relnamespace, pg_catalog.age(r.xmin)"
                    + " from pg_catalog.pg_rewrite r join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) r.ev_class where %s");

    /** The alias whose xmin and schema each branch filters on. */
    private static final List<String[]> FILTERED = List.of(new String[] {"n.xmin", "n.oid"},
            new String[] {"c.xmin", "c.relnamespace"}, new String[] {"a.xmin", "c.relnamespace"},
            new String[] {"d.xmin", "c.relnamespace"}, new String[] {"k.xmin", "k.connamespace"},
            new String[] {"x.xmin", "c.relnamespace"}, new String[] {"p.xmin", "p.pronamespace"},
            new String[] {"t.xmin", "t.typnamespace"}, new String[] {"e.xmin", "t.typnamespace"},
            new String[] {"r.xmin", "c.relnamespace"});

    /** The age of rows this transaction wrote is at most 0; ages before the first statement. */
    static final int FIRST_FLOOR = 1;

    /**
     * The rows with an age below the floor (the first parameter) in each catalog whose write
     * counter differs from the one given for it (the next ten parameters, in
     * {@link CatalogWrites#SNAPSHOT} order): a catalog not written to cannot hold a row of the
     * statement, and PostgreSQL skips its scan. Sent in the same round trip as the counters. An age
     * of exactly 0 belongs to this transaction's own xid, which only a statement that left our
     * subtransaction could write with: those rows count too. Every operator is qualified: the
     * query may be parsed before the pinned search_path is in place.
     */
    static final String QUERY = query();

    private static String query() {
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < BRANCHES.size(); i++) {
            String age = "pg_catalog.age(" + FILTERED.get(i)[0] + ")";
            String written = "(select pg_catalog.pg_stat_get_xact_tuples_inserted(o) operator(pg_catalog.+)"
                    + " pg_catalog.pg_stat_get_xact_tuples_updated(o) operator(pg_catalog.+) pg_catalog.pg_stat_get_xact_tuples_deleted(o)"
                    + " from (select 'pg_catalog." + CatalogWrites.SNAPSHOT.get(i) + "'::pg_catalog.regclass) w(o))"
                    + " operator(pg_catalog.<>) ?::pg_catalog.int8";
            branches.add(BRANCHES.get(i).formatted("(" + age + " operator(pg_catalog.<) (select floor from f) or "
                    + age + " operator(pg_catalog.=) 0) and " + written));
        }
        return "with f(floor) as (select ?::pg_catalog.int4), s(oid) as (select n.oid from pg_catalog.pg_namespace n"
                + " where n.nspname operator(pg_catalog.=) any ('{pg_catalog,information_schema}'::pg_catalog.name[]))\n"
                + "select u.*, u.nsp operator(pg_catalog.=) any (select oid from s) from (\n"
                + String.join("\nunion all\n", branches)
                + ") u(catalog, key, name, owner, nsp, age)";
    }

    /** Sets {@link #QUERY}'s parameters from the given index on. */
    static void parameters(PreparedStatement s, int first, int floor, CatalogWrites before) throws SQLException {
        s.setInt(first, floor);
        for (int i = 0; i < CatalogWrites.SNAPSHOT.size(); i++) {
            s.setLong(first + 1 + i, before.counts()[i]);
        }
    }

    /** {@link #QUERY}'s rows. */
    static CatalogChanges read(ResultSet rs, int floor) throws SQLException {
        return from(rs, floor);
    }

    /** The names of every row of the user's schemas, before the first statement. */
    static Map<String, String> names(Connection c) throws SQLException {
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < BRANCHES.size(); i++) {
            branches.add(BRANCHES.get(i).formatted(FILTERED.get(i)[1]
                    + " operator(pg_catalog.=) any (select n.oid from pg_catalog.pg_namespace n where" + CatalogReader.USER_NAMESPACE + ")"));
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select u.*, false from (" + String.join("\nunion all\n", branches)
                     + ") u(catalog, key, name, owner, nsp, age)")) {
            return from(rs, FIRST_FLOOR).names();
        }
    }

    private static CatalogChanges from(ResultSet rs, int floor) throws SQLException {
        Set<String> owners = new LinkedHashSet<>();
        Map<String, String> names = new HashMap<>();
        boolean system = false;
        int[] rows = new int[BRANCHES.size()];
        while (rs.next()) {
            rows[rs.getInt(1)]++;
            if (rs.getString(2) != null) {
                names.put(rs.getString(2), rs.getString(3));
            }
            owners.add(rs.getString(4));
            floor = Math.min(floor, rs.getInt(6));
            system |= rs.getBoolean(7);
        }
        return new CatalogChanges(owners(owners), names, system, floor, rows);
    }

    private static CatalogReader.Owners owners(Set<String> ids) {
        List<Long> relations = new ArrayList<>(), functions = new ArrayList<>(), types = new ArrayList<>(),
                namespaces = new ArrayList<>();
        for (String id : ids) {
            long oid = Long.parseLong(id.substring(1));
            switch (id.charAt(0)) {
                case 'c' -> relations.add(oid);
                case 'p' -> functions.add(oid);
                case 't' -> types.add(oid);
                default -> namespaces.add(oid);
            }
        }
        return new CatalogReader.Owners(relations, functions, types, namespaces);
    }
}
