package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The owners whose printed definitions may show an object a statement renamed: a view that reads
 * a renamed table, a foreign key or an index on a renamed column, a column of a renamed type, a
 * default that calls a renamed function. Their own catalog rows did not change, so the scan by
 * xmin ({@link CatalogChanges}) cannot name them; PostgreSQL records each such reference in
 * {@code pg_depend}, read here by its index on the referenced object.
 *
 * <p>One level is enough, but for indexes: a definition prints the names of the objects it
 * references directly (a view over a view prints the inner view's name, which did not change),
 * and every index prints its table's name and columns, while an index that backs a constraint
 * depends on the constraint, not on the table; so every index of a renamed relation (or of one
 * whose column was renamed) is one of the owners. The renamed objects'
 * own owners come from the scan. A renamed schema changes what every object in it prints, and is
 * read in whole by the caller, as are names in catalogs the dry run does not track
 * ({@link CatalogWrites#NAMING}).
 */
final class RenameDependents {

    /**
     * Parameters: text arrays of the oids of renamed relations (a relation renamed or one of its
     * columns), constraints, functions, types, and enum labels. Rows: the owner of each object
     * depending on one of them, named as {@link CatalogReader.Sink} names owners; null for a kind
     * of object the catalog read does not hold. Every operator is qualified (see {@link CatalogSearchPath}).
     */
    static final String QUERY = """
            with r(classid, objid) as (
              select 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
              union all
              select 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid, pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
              union all
              select 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
              union all
              select 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[])
              union all
              select 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, e.enumtypid from pg_catalog.pg_enum e
              where e.oid operator(pg_catalog.=) any (?::pg_catalog.text::pg_catalog.oid[]))
            select distinct case
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                       then 'c' operator(pg_catalog.||) d.objid
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                       then (select 'c' operator(pg_catalog.||) w.ev_class from pg_catalog.pg_rewrite w
                             where w.oid operator(pg_catalog.=) d.objid)
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                       then (select 'c' operator(pg_catalog.||) a.adrelid from pg_catalog.pg_attrdef a
                             where a.oid operator(pg_catalog.=) d.objid)
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass
                       then (select case when k.conrelid operator(pg_catalog.<>) 0 then 'c' operator(pg_catalog.||) k.conrelid
                                         else 't' operator(pg_catalog.||) k.contypid end
                             from pg_catalog.pg_constraint k where k.oid operator(pg_catalog.=) d.objid)
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass
                       then 't' operator(pg_catalog.||) d.objid
                     when d.classid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                       then 'p' operator(pg_catalog.||) d.objid
                   end
            from r join pg_catalog.pg_depend d
              on d.refclassid operator(pg_catalog.=) r.classid and d.refobjid operator(pg_catalog.=) r.objid
            union
            select 'c' operator(pg_catalog.||) x.indexrelid from pg_catalog.pg_index x
            where x.indrelid operator(pg_catalog.=) any (?::pg_catalog.text::pg_catalog.oid[])""";

    private RenameDependents() {}

    /**
     * @param renamed the renamed rows' keys as {@link CatalogChanges#names} has them ("c", "a",
     *                "k", "p", "t" or "e" and an oid; an attribute's key is its relation's oid, a
     *                dot and its number); not a schema's ("n")
     * @return the owners of the objects that depend on them
     */
    static Set<String> owners(Connection c, Set<String> renamed) throws SQLException {
        List<StringBuilder> arrays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            arrays.add(new StringBuilder());
        }
        for (String key : renamed) {
            int kind = "ckpte".indexOf(key.charAt(0) == 'a' ? 'c' : key.charAt(0));
            if (kind < 0) {
                throw new IllegalArgumentException("not a renamed object's key: " + key);
            }
            String oid = key.substring(1).replaceFirst("\\..*", "");
            StringBuilder array = arrays.get(kind);
            array.append(array.length() == 0 ? "" : ",").append(oid);
        }
        Set<String> owners = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            for (int i = 0; i < arrays.size(); i++) {
                s.setString(i + 1, "{" + arrays.get(i) + "}");
            }
            s.setString(arrays.size() + 1, "{" + arrays.get(0) + "}");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        owners.add(rs.getString(1));
                    }
                }
            }
        }
        return owners;
    }
}
