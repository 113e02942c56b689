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
     * Catalogs whose rows belong to a relation, by {@link CatalogWrites#SNAPSHOT} index: the table
     * with its branch's alias, the indexed column naming the relation, and the oids to look up
     * (an alias {@code wr} with columns oid and relnamespace). A relation's own types are its row
     * type and that type's array type. See {@link #QUERY}.
     */
    private static final Map<Integer, String[]> OWNED = Map.of(
            2, new String[] {"pg_catalog.pg_attribute a", "a.attrelid", "wr"},
            3, new String[] {"pg_catalog.pg_attrdef d", "d.adrelid", "wr"},
            4, new String[] {"pg_catalog.pg_constraint k", "k.conrelid", "wr"},
            5, new String[] {"pg_catalog.pg_index x", "x.indexrelid", "wr"},
            7, new String[] {"pg_catalog.pg_type t", "t.oid", "(select wr.reltype, wr.relnamespace from wr"
                    + " where wr.reltype operator(pg_catalog.<>) 0 union all select y.typarray, wr.relnamespace from wr,"
                    + " lateral (select y.typarray from pg_catalog.pg_type y where y.oid operator(pg_catalog.=) wr.reltype offset 0) y"
                    + " where y.typarray operator(pg_catalog.<>) 0) wr(oid, relnamespace)"},
            9, new String[] {"pg_catalog.pg_rewrite r", "r.ev_class", "wr"});

    /** Indexes into {@link CatalogWrites#SNAPSHOT} of the catalogs in {@link #OWNED}, in parameter order. */
    private static final List<Integer> OWNED_ORDER = OWNED.keySet().stream().sorted().toList();

    /**
     * The rows with an age below the floor (the first parameter) in each catalog whose write
     * counter differs from the one given for it (the next ten parameters, in
     * {@link CatalogWrites#SNAPSHOT} order): a catalog not written to cannot hold a row of the
     * statement, and PostgreSQL skips its scan. Sent in the same round trip as the counters. An age
     * of exactly 0 belongs to this transaction's own xid, which only a statement that left our
     * subtransaction could write with: those rows count too. Every operator is qualified: the
     * query may be parsed before the pinned search_path is in place.
     *
     * <p>No index finds rows by xmin, so each such catalog is scanned whole, at a cost that grows
     * with the schema: pg_attribute, the largest, after nearly every DDL statement. Most DDL also
     * writes the pg_class row of each relation whose columns, defaults, constraints, indexes or
     * rules it writes (creating it, or counting its columns), and of each it creates, with its row
     * type and that type's array. So for the catalogs of
     * {@link #OWNED} the rows of the relations whose pg_class row the statement wrote are looked
     * up first, by index; and they are all the statement's rows there when they are as many as the
     * rows it inserted and updated in that catalog (the last parameters, the counters before the
     * statement): each visible row the statement wrote is a version it inserted or updated, and
     * PostgreSQL counts every one, those of rolled-back subtransactions included. Only when fewer
     * are found (a column set NOT NULL, a domain's constraint, an enum) is the catalog scanned whole.
     */
    static final String QUERY = lookedUp();

    /** {@link #QUERY} scanning every catalog written, without the lookups: the reference the tests hold it to. */
    static final String SCANNED = scanned();

    /** This transaction's rows inserted (+ updated, + deleted: the counters named) in the catalog at this index. */
    private static String counter(int catalog, String... counters) {
        List<String> calls = new ArrayList<>();
        for (String counter : counters) {
            calls.add("pg_catalog.pg_stat_get_xact_tuples_" + counter + "('pg_catalog." + CatalogWrites.SNAPSHOT.get(catalog)
                    + "'::pg_catalog.regclass)");
        }
        return "(" + String.join(" operator(pg_catalog.+) ", calls) + ")";
    }

    private static String scanned() {
        List<String> params = new ArrayList<>(List.of("?::pg_catalog.int4 floor"));
        for (int i = 0; i < BRANCHES.size(); i++) {
            params.add("?::pg_catalog.int8 w" + i);
        }
        for (int i : OWNED_ORDER) {
            params.add("?::pg_catalog.int8 v" + i);
        }
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < BRANCHES.size(); i++) {
            // a subquery: the counters are volatile, and in the scan's own filter would be called for every row
            String written = "(select " + counter(i, "inserted", "updated", "deleted") + ") operator(pg_catalog.<>) (select w" + i + " from f)";
            branches.add(BRANCHES.get(i).formatted(ofStatement(FILTERED.get(i)[0]) + " and " + written));
        }
        return "with f as (select " + String.join(", ", params) + "),\n" + SYSTEM + "\n"
                + "select u.*, u.nsp operator(pg_catalog.=) any (select oid from s) from (\n"
                + String.join("\nunion all\n", branches)
                + ") u(catalog, key, name, owner, nsp, age)";
    }

    /** The schemas whose names are not tracked: see {@link #system}. */
    private static final String SYSTEM = "s(oid) as (select n.oid from pg_catalog.pg_namespace n"
            + " where n.nspname operator(pg_catalog.=) any ('{pg_catalog,information_schema}'::pg_catalog.name[]))";

    /**
     * The counters are read once, into one row ({@code f}: whether each catalog was written, and
     * how many rows the statement inserted and updated in each of {@link #OWNED}), and whether
     * each lookup found all of them once ({@code g}): each further reference is one InitPlan on
     * that row. The query runs after every statement with a generic plan, whose every node is set
     * up at each Bind whether it runs or not, so each node left out is time saved per statement.
     */
    private static String lookedUp() {
        List<String> f = new ArrayList<>(List.of("?::pg_catalog.int4 floor"));
        for (int i = 0; i < BRANCHES.size(); i++) {
            f.add(counter(i, "inserted", "updated", "deleted") + " operator(pg_catalog.<>) ?::pg_catalog.int8 d" + i);
        }
        for (int i : OWNED_ORDER) {
            f.add(counter(i, "inserted", "updated") + " operator(pg_catalog.-) ?::pg_catalog.int8 m" + i);
        }
        List<String> ctes = new ArrayList<>();
        ctes.add("f as materialized (select " + String.join(", ", f) + ")");
        ctes.add(SYSTEM);
        // the pg_class rows, kept for the lookups below: "xmin" is a plain column of the CTE
        ctes.add("wr as materialized (select c.oid, c.relnamespace, c.relname, c.reltype, c.xmin as xmin from pg_catalog.pg_class c where "
                + ofStatement("c.xmin") + " and (select d1 from f))");
        List<String> g = new ArrayList<>();
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < BRANCHES.size(); i++) {
            String[] owned = OWNED.get(i);
            String branch = BRANCHES.get(i);
            if (i == 1) {
                branches.add(branch.substring(0, branch.indexOf(" from pg_catalog.pg_class c")) + " from wr c");
            } else if (owned == null) {
                branches.add(branch.formatted(ofStatement(FILTERED.get(i)[0]) + " and (select d" + i + " from f)"));
            } else {
                String alias = owned[0].substring(owned[0].indexOf(' ') + 1);
                String columns = branch.substring(0, branch.indexOf(" from pg_catalog."))
                        .replace("c.relnamespace", "wr.relnamespace");
                ctes.add("o" + i + " as materialized (" + columns + " from " + owned[2] + ", lateral (select " + alias + ".*, "
                        + alias + ".xmin as xmin from " + owned[0] + " where " + owned[1] + " operator(pg_catalog.=) wr.oid and "
                        + ofStatement(alias + ".xmin") + " offset 0) " + alias + " where (select d" + i + " from f))");
                g.add("(select pg_catalog.count(*) from o" + i + ") operator(pg_catalog.=) f.m" + i + " c" + i);
                branches.add("select * from o" + i + " where (select c" + i + " from g)");
                branches.add(branch.formatted(ofStatement(FILTERED.get(i)[0]) + " and (select d" + i + " and not c" + i + " from f, g)"));
            }
        }
        ctes.add("g as materialized (select " + String.join(", ", g) + " from f)");
        return "with " + String.join(",\n", ctes) + "\n"
                + "select u.*, u.nsp operator(pg_catalog.=) any (select oid from s) from (\n"
                + String.join("\nunion all\n", branches)
                + ") u(catalog, key, name, owner, nsp, age)";
    }

    /** Whether a row of this xmin was written by the statement: see {@link CatalogChanges}. */
    private static String ofStatement(String xmin) {
        String age = "pg_catalog.age(" + xmin + ")";
        return "(" + age + " operator(pg_catalog.<) (select floor from f) or " + age + " operator(pg_catalog.=) 0)";
    }

    /**
     * Sets {@link #QUERY}'s parameters from the given index on.
     *
     * @return the index of the next parameter
     */
    static int parameters(PreparedStatement s, int first, int floor, CatalogWrites before) throws SQLException {
        int index = first;
        s.setInt(index++, floor);
        int catalogs = CatalogWrites.SNAPSHOT.size();
        for (int i = 0; i < catalogs; i++) {
            s.setLong(index++, before.counts()[i]);
        }
        for (int i : OWNED_ORDER) {
            // inserted + updated: the writes less the deletions
            s.setLong(index++, before.counts()[i] - before.counts()[catalogs + i]);
        }
        return index;
    }

    /** What a statement that wrote no catalog row changed: nothing. */
    static CatalogChanges none(int floor) {
        return new CatalogChanges(CatalogReader.Owners.of(Set.of()), Map.of(), false, floor, new int[BRANCHES.size()]);
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
        return new CatalogChanges(CatalogReader.Owners.of(owners), names, system, floor, rows);
    }
}
