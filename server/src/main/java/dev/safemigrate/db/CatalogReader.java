package dev.safemigrate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link CatalogSnapshot} on a connection, seeing that connection's own uncommitted
 * changes: this is what lets a dry run compare the schema before and after each statement.
 * Reads either the whole schema or only the objects of some owners (relations, functions, types,
 * schemas, by oid): every object the snapshot holds belongs to exactly one owner, so a dry run
 * that knows which owners a statement touched re-reads those and keeps the rest.
 */
public final class CatalogReader {

    /** Schemas that belong to PostgreSQL itself, never to a migration. */
    // leading space: a text block drops the trailing space of the line it is appended to
    static final String USER_NAMESPACE = " " + """
            n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
            and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'""";

    /** Where a query is narrowed to some owners, {@code {owner}} stands for the condition on the owner column. */
    private static final String RELATIONS_QUERY = """
            select c.oid, n.nspname, c.relname, c.relkind, c.relfilenode,
                   case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) end
            from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm', 'S', 'i', 'I', 'f') and {owner} and""" + USER_NAMESPACE;

    private static final String COLUMNS_QUERY = """
            select a.attrelid, n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_catalog.pg_get_expr(d.adbin, d.adrelid)
            from pg_catalog.pg_attribute a
            join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f') and {owner} and""" + USER_NAMESPACE;

    private static final String CONSTRAINTS_QUERY = """
            select k.conrelid, n.nspname, c.relname, k.conname, k.convalidated, pg_catalog.pg_get_constraintdef(k.oid)
            from pg_catalog.pg_constraint k
            join pg_catalog.pg_class c on c.oid = k.conrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            where {owner} and""" + USER_NAMESPACE;

    private static final String INDEXES_QUERY = """
            select x.indexrelid, n.nspname, i.relname, pg_catalog.pg_get_indexdef(i.oid), x.indisvalid
            from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid join pg_catalog.pg_namespace n on n.oid = i.relnamespace
            where {owner} and""" + USER_NAMESPACE;

    private static final String FUNCTIONS_QUERY = """
            select p.oid, n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', pg_catalog.md5(p.prosrc),
                   pg_catalog.pg_get_function_result(p.oid)
            from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where {owner} and""" + USER_NAMESPACE;

    private static final String TYPES_QUERY = """
            select t.oid, n.nspname, t.typname, t.typtype,
                   coalesce((select pg_catalog.string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')
            from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
            where t.typtype in ('e', 'd', 'c') and (t.typrelid = 0 or (select relkind from pg_catalog.pg_class where oid = t.typrelid) = 'c')
              and {owner} and""" + USER_NAMESPACE;

    private static final String SCHEMAS_QUERY = "select n.oid, n.nspname from pg_catalog.pg_namespace n where {owner} and" + USER_NAMESPACE
            + " and n.nspname not like 'pg\\_%'";

    /** The seven reads of the whole schema in one round trip. */
    private static final String ALL = String.join(";\n",
            java.util.Arrays.stream(Part.values()).map(part -> narrowed(part.query, "true")).toList());

    /**
     * {@link #ALL}'s parts without what an object's state costs to print (view, index, constraint and
     * default definitions, type names, function bodies): the same owners and keys, read by
     * {@link #readKeys}. Each replaced expression must be found, or the class does not load.
     */
    private static final Map<Part, String> KEYS = keysOnly(List.of(
            "case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) end",
            "pg_catalog.format_type(a.atttypid, a.atttypmod)",
            "pg_catalog.pg_get_expr(d.adbin, d.adrelid)",
            "pg_catalog.pg_get_constraintdef(k.oid)",
            "pg_catalog.pg_get_indexdef(i.oid)",
            "pg_catalog.md5(p.prosrc)",
            "pg_catalog.pg_get_function_result(p.oid)",
            "coalesce((select pg_catalog.string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '')"));

    private static Map<Part, String> keysOnly(List<String> states) {
        Map<Part, String> parts = new java.util.EnumMap<>(Part.class);
        Set<String> replaced = new HashSet<>();
        for (Part part : Part.values()) {
            String query = narrowed(part.query, "true");
            for (String state : states) {
                if (query.contains(state)) {
                    query = query.replace(state, "null");
                    replaced.add(state);
                }
            }
            parts.put(part, query);
        }
        for (String state : states) {
            if (!replaced.contains(state)) {
                throw new IllegalStateException("the keys-only catalog read no longer matches the full one: " + state);
            }
        }
        return parts;
    }

    /**
     * The parts whose keys rows deleted from these catalogs ({@link CatalogWrites#SNAPSHOT}
     * indexes) can take away: a key is made of its own row's name and those of the rows it is
     * read with (its schema, its relation). A function's key also prints its argument types, but
     * a type cannot go while a function uses it: dropping it with CASCADE deletes the function's row.
     */
    static Set<Part> partsLosingKeys(Set<Integer> deletedFrom) {
        Set<Part> parts = java.util.EnumSet.noneOf(Part.class);
        for (Part part : Part.values()) {
            if (part.keyCatalogs.stream().anyMatch(deletedFrom::contains)) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** The owner in a read narrowed to some owners: see {@link #narrowedTo}. */
    private static final String OWNER = " operator(pg_catalog.=) o.oid";

    /**
     * The owners whose objects to read, by oid. A relation owns itself, its columns, its
     * constraints and (for tables) its storage; an index is an owner of its own.
     */
    public record Owners(List<Long> relations, List<Long> functions, List<Long> types, List<Long> namespaces) {

        public Owners {
            relations = List.copyOf(relations);
            functions = List.copyOf(functions);
            types = List.copyOf(types);
            namespaces = List.copyOf(namespaces);
        }

        public boolean isEmpty() {
            return relations.isEmpty() && functions.isEmpty() && types.isEmpty() && namespaces.isEmpty();
        }

        /** Owners named as {@link Sink} names them: "c", "p", "t" or "n" and an oid. */
        static Owners of(Collection<String> ids) {
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
            return new Owners(relations, functions, types, namespaces);
        }

        /** These owners as {@link Sink} names them: see {@link #of}. */
        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            relations.forEach(oid -> ids.add("c" + oid));
            functions.forEach(oid -> ids.add("p" + oid));
            types.forEach(oid -> ids.add("t" + oid));
            namespaces.forEach(oid -> ids.add("n" + oid));
            return ids;
        }
    }

    /** Receives what a read finds; owners are named "c" + relation oid, "p" + function, "t" + type, "n" + schema. */
    public interface Sink {
        void object(String owner, String key, String state);

        void relfilenode(String owner, String relation, long relfilenode);

        void relation(long oid, String name);
    }

    private CatalogReader() {}

    public static CatalogSnapshot read(Connection c) throws SQLException {
        Map<String, String> objects = new HashMap<>();
        Map<String, Long> relfilenodes = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        readAll(c, new Sink() {
            public void object(String owner, String key, String state) {
                objects.put(key, state);
            }

            public void relfilenode(String owner, String relation, long relfilenode) {
                relfilenodes.put(relation, relfilenode);
            }

            public void relation(long oid, String name) {
                names.put(oid, name);
            }
        });
        return new CatalogSnapshot(objects, relfilenodes, names);
    }

    /** The whole schema. */
    public static void readAll(Connection c, Sink sink) throws SQLException {
        readWhole(c, ALL, sink);
    }

    /**
     * Every object of these parts of the whole schema, with its owner and key as {@link #readAll}
     * finds them, but not its state (the sink is given a meaningless one), at a fraction of the cost.
     */
    static void readKeys(Connection c, Sink sink, Set<Part> parts) throws SQLException {
        List<Part> read = java.util.Arrays.stream(Part.values()).filter(parts::contains).toList();
        if (!read.isEmpty()) {
            readWhole(c, String.join(";\n", read.stream().map(KEYS::get).toList()), sink, read);
        }
    }

    private static void readWhole(Connection c, String query, Sink sink) throws SQLException {
        readWhole(c, query, sink, List.of(Part.values()));
    }

    private static void readWhole(Connection c, String query, Sink sink, List<Part> parts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.execute();
            readResults(s, sink, parts);
        }
    }

    /**
     * Only the objects of these owners, in one statement; an owner that no longer exists yields
     * nothing. One statement rather than one per part: the dry run reads after nearly every DDL
     * statement, and each statement of a round trip costs its own Bind and executor start.
     */
    public static void read(Connection c, Owners owners, Sink sink) throws SQLException {
        List<String> queries = new ArrayList<>();
        List<String> params = new ArrayList<>();
        if (!owners.namespaces().isEmpty()) {
            add(queries, params, narrowedTo(shaped(Part.SCHEMAS)), owners.namespaces());
        }
        if (!owners.relations().isEmpty()) {
            add(queries, params, narrowedTo(shaped(Part.RELATIONS) + " union all "
                    + shaped(Part.COLUMNS) + " union all "
                    + shaped(Part.CONSTRAINTS) + " union all "
                    + shaped(Part.INDEXES)), owners.relations());
        }
        if (!owners.functions().isEmpty()) {
            add(queries, params, narrowedTo(shaped(Part.FUNCTIONS)), owners.functions());
        }
        if (!owners.types().isEmpty()) {
            add(queries, params, narrowedTo(shaped(Part.TYPES)), owners.types());
        }
        if (queries.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(String.join("\nunion all\n", queries))) {
            for (int i = 0; i < params.size(); i++) {
                s.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    readRow(Part.values()[rs.getInt(SHAPED_PART)], rs, sink);
                }
            }
        }
    }

    /** Columns of a {@link #shaped} part: the owner's oid, six texts, then the part. */
    private static final int SHAPED_PART = 8;

    /**
     * A part's query, narrowed to the owner {@code o.oid}, as rows of one shape that parts can
     * share: the first column (the owner's oid) as it is, the others as text in the same places
     * ({@link #readRow} reads them by position; a boolean reads back from 'true'/'false'), padded with
     * nulls, and the part last.
     */
    private static String shaped(Part part) {
        List<String> select = new ArrayList<>(List.of("x.c1"));
        List<String> names = new ArrayList<>(List.of("c1"));
        for (int i = 2; i < SHAPED_PART; i++) {
            select.add(i <= part.columns ? "x.c" + i + "::pg_catalog.text" : "null::pg_catalog.text");
            if (i <= part.columns) {
                names.add("c" + i);
            }
        }
        return "select " + String.join(", ", select) + ", " + part.ordinal() + " from ("
                + narrowed(part.query, part.ownerColumn + OWNER) + " offset 0) x(" + String.join(", ", names) + ")";
    }

    private static String narrowed(String query, String condition) {
        return query.replace("{owner}", condition);
    }

    /**
     * The query for the owners in an array of oids (the parameter, sent as text), one owner at a
     * time: a lateral subquery that cannot be flattened ({@code offset 0}) looks each owner up by
     * the catalogs' oid indexes whatever the planner guesses of the array's length. The dry run
     * runs these with generic plans ({@link TraceSettings}), which assume ten elements, and with
     * {@code = any (array)} such a plan scanned whole catalogs: a cost that grows with the schema.
     */
    private static String narrowedTo(String query) {
        return "select q.* from pg_catalog.unnest(?::pg_catalog.text::pg_catalog.oid[]) o(oid), lateral (" + query + ") q";
    }

    private static void add(List<String> queries, List<String> params, String query, List<Long> oids) {
        queries.add(query);
        StringBuilder array = new StringBuilder("{");
        for (Long oid : oids) {
            array.append(array.length() > 1 ? "," : "").append(oid);
        }
        params.add(array.append('}').toString());
    }

    /**
     * The seven reads: each its query, the column naming its owner and how many columns it returns,
     * the kind of owner ({@link Sink}), the {@link CatalogWrites#SNAPSHOT} catalogs whose rows its
     * keys are made of (see {@link #partsLosingKeys}), and the first word(s) of its objects' keys.
     */
    enum Part {
        SCHEMAS(SCHEMAS_QUERY, "n.oid", 2, 'n', List.of(0), "schema "),
        RELATIONS(RELATIONS_QUERY, "c.oid", 6, 'c', List.of(0, 1),
                "table ", "view ", "materialized view ", "sequence ", "foreign table "),
        COLUMNS(COLUMNS_QUERY, "a.attrelid", 7, 'c', List.of(0, 1, 2), "column "),
        CONSTRAINTS(CONSTRAINTS_QUERY, "k.conrelid", 6, 'c', List.of(0, 1, 4), "constraint "),
        INDEXES(INDEXES_QUERY, "x.indexrelid", 5, 'c', List.of(0, 1, 5), "index "),
        FUNCTIONS(FUNCTIONS_QUERY, "p.oid", 5, 'p', List.of(0, 6), "function "),
        TYPES(TYPES_QUERY, "t.oid", 5, 't', List.of(0, 1, 7), "type ");

        final String query;
        private final String ownerColumn;
        private final int columns;
        private final char owner;
        final List<Integer> keyCatalogs;
        private final List<String> keyPrefixes;

        Part(String query, String ownerColumn, int columns, char owner, List<Integer> keyCatalogs, String... keyPrefixes) {
            this.query = query;
            this.ownerColumn = ownerColumn;
            this.columns = columns;
            this.owner = owner;
            this.keyCatalogs = keyCatalogs;
            this.keyPrefixes = List.of(keyPrefixes);
        }

        /** Whether an object's key, as the sink is given it, is one this part reads. */
        boolean reads(String key) {
            return keyPrefixes.stream().anyMatch(key::startsWith);
        }
    }

    private static void readResults(PreparedStatement s, Sink sink, List<Part> parts) throws SQLException {
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0 && !s.getMoreResults()) {
                throw new SQLException("the catalog read returned fewer result sets than it asked for");
            }
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    readRow(parts.get(i), rs, sink);
                }
            }
        }
    }

    private static void readRow(Part part, ResultSet rs, Sink sink) throws SQLException {
        String owner = part.owner + String.valueOf(rs.getLong(1));
        switch (part) {
            case SCHEMAS -> sink.object(owner, "schema " + rs.getString(2), "");
            case RELATIONS -> {
                String name = rs.getString(2) + "." + rs.getString(3);
                String kind = relationKind(rs.getString(4));
                sink.relation(rs.getLong(1), name);
                if (!kind.equals("index")) {
                    sink.object(owner, kind + " " + name, rs.getString(6) == null ? "" : rs.getString(6));
                }
                if (kind.equals("table") || kind.equals("materialized view")) {
                    sink.relfilenode(owner, name, rs.getLong(5));
                }
            }
            case COLUMNS -> sink.object(owner, "column " + rs.getString(2) + "." + rs.getString(3) + "." + rs.getString(4),
                    rs.getString(5) + (rs.getBoolean(6) ? " not null" : " null")
                            + (rs.getString(7) == null ? "" : " default " + rs.getString(7)));
            case CONSTRAINTS -> sink.object(owner, "constraint " + rs.getString(2) + "." + rs.getString(3) + "." + rs.getString(4),
                    rs.getString(6) + (rs.getBoolean(5) ? "" : " (not validated)"));
            case INDEXES -> sink.object(owner, "index " + rs.getString(2) + "." + rs.getString(3),
                    rs.getString(4) + (rs.getBoolean(5) ? "" : " (invalid)"));
            case FUNCTIONS -> sink.object(owner, "function " + rs.getString(2) + "." + rs.getString(3),
                    "returns " + rs.getString(5) + " body " + rs.getString(4));
            case TYPES -> sink.object(owner, "type " + rs.getString(2) + "." + rs.getString(3), rs.getString(4) + " " + rs.getString(5));
        }
    }

    private static String relationKind(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "S" -> "sequence";
            case "f" -> "foreign table";
            default -> "index";
        };
    }
}
