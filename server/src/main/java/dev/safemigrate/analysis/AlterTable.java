package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lexical reading of ALTER TABLE: each comma-separated action becomes an action name
 * ({@code add_column}, {@code drop_column}, {@code add_constraint.foreign_key}, …) with the facts
 * rules need. An action it does not know is {@code other}, which sends the statement to the parser.
 */
final class AlterTable {

    /** Volatile functions: as a column default they force PostgreSQL to rewrite the table (PG11+ skips it only for non-volatile defaults). */
    static final Set<String> VOLATILE = Set.of("random", "random_normal", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval",
            "txid_current", "pg_current_xact_id", "setval");

    private static final Set<String> SERIAL = Set.of("serial", "serial4", "serial8", "bigserial", "smallserial", "serial2");

    /** When one ALTER TABLE does several things, the kind names the most dangerous; this is the order. */
    private static final List<String> KIND_ORDER = List.of("drop_column", "alter_column_type", "rename", "rename_column",
            "set_not_null", "add_constraint", "add_column", "drop_constraint", "set_default");

    private AlterTable() {}

    static Reading read(StatementTokens t, int after) {
        int i = after;
        if (t.wordsAt(i, "if", "exists")) {
            i += 2;
        }
        if (t.isWord(i, "only")) {
            i++;
        }
        StatementTokens.QualifiedName name = t.nameAt(i);
        if (name == null || t.isWord(i, "all")) {
            return new Reading("alter_table.other", List.of(), Set.of("other"), false);
        }
        int from = name.next();
        if (t.get(from) != null && t.get(from).isSymbol("*")) {
            from++;
        }
        Set<String> actions = new LinkedHashSet<>();
        for (int[] seg : t.segments(from, t.size(), 0)) {
            action(t, seg[0], seg[1], actions);
        }
        String kind = actions.stream().filter(a -> !a.contains(".") && !a.contains(":")).findFirst().orElse("other");
        for (String k : KIND_ORDER) {
            if (actions.stream().anyMatch(a -> a.equals(k) || a.startsWith(k + "."))) {
                kind = k;
                break;
            }
        }
        return new Reading("alter_table." + kind, List.of(name.name()), actions, true);
    }

    private static void action(StatementTokens t, int from, int to, Set<String> out) {
        SqlToken first = t.get(from);
        String w = first == null || first.type() != SqlToken.Type.WORD ? "" : first.text();
        switch (w) {
            case "add" -> add(t, from + 1, to, out);
            case "drop" -> out.add(t.isWord(from + 1, "constraint") ? "drop_constraint" : "drop_column");
            case "alter" -> alterColumn(t, from + 1, to, out);
            case "validate" -> out.add("validate_constraint");
            case "rename" -> out.add(t.isWord(from + 1, "to") ? "rename"
                    : t.isWord(from + 1, "constraint") ? "rename_constraint" : "rename_column");
            case "set" -> out.add(set(t, from + 1));
            case "reset" -> out.add("set_storage_parameters");
            case "enable", "disable" -> out.add(t.isWord(from + 1, "row") ? "row_level_security"
                    : t.contains(from, to, "rule") ? w + "_rule" : w + "_trigger");
            case "force", "no" -> out.add(t.contains(from, to, "inherit") ? "inherit" : "row_level_security");
            case "cluster" -> out.add("cluster_on");
            case "owner" -> out.add("owner_to");
            case "inherit" -> out.add("inherit");
            case "replica" -> out.add("replica_identity");
            case "attach" -> out.add("attach_partition");
            case "detach" -> out.add(t.contains(from, to, "concurrently") ? "detach_partition.concurrently" : "detach_partition");
            default -> out.add("other");
        }
    }

    private static String set(StatementTokens t, int i) {
        if (t.get(i) != null && t.get(i).isSymbol("(")) {
            return "set_storage_parameters";
        }
        if (t.wordsAt(i, "without", "cluster")) {
            return "set_without_cluster";
        }
        if (t.wordsAt(i, "access", "method")) {
            return "set_access_method";
        }
        SqlToken w = t.get(i);
        return w != null && Set.of("logged", "unlogged", "tablespace", "schema").contains(w.text()) ? "set_" + w.text() : "other";
    }

    private static void add(StatementTokens t, int i, int to, Set<String> out) {
        if (t.isWord(i, "constraint")) {
            i += 2;
        }
        SqlToken w = t.get(i);
        String word = w == null ? "" : w.text();
        String constraint = switch (w == null || w.type() != SqlToken.Type.WORD ? "" : word) {
            case "foreign" -> "foreign_key";
            case "check" -> "check";
            case "unique" -> "unique";
            case "primary" -> "primary_key";
            case "exclude" -> "exclude";
            default -> null;
        };
        if (constraint != null) {
            String flag = t.contains(i, to, "not", "valid") ? ".not_valid" : t.contains(i, to, "using", "index") ? ".using_index" : "";
            out.add("add_constraint." + constraint + flag);
            return;
        }
        if (t.isWord(i, "column")) {
            i++;
        }
        if (t.wordsAt(i, "if", "not", "exists")) {
            i += 3;
        }
        out.add("add_column");
        String type = TypeName.at(t, i + 1);
        if (type != null) {
            out.add("column_type:" + type);
        }
        boolean notNull = t.contains(i, to, "not", "null");
        int def = t.find(i, to, "default");
        if (notNull && def < 0 && !t.contains(i, to, "generated")) {
            out.add("add_column.not_null_without_default");
        }
        if (type != null && SERIAL.contains(type)) {
            out.add("add_column.rewrite:" + type);
        } else if (t.contains(i, to, "generated") && t.contains(i, to, "identity")) {
            out.add("add_column.rewrite:identity");
        } else if (t.contains(i, to, "generated") && t.contains(i, to, "stored")) {
            out.add("add_column.rewrite:generated stored");
        } else if (def >= 0) {
            for (String f : DefaultExpression.possiblyVolatileCalls(t, def, to)) {
                out.add("add_column.rewrite:" + f);
            }
        }
        if (t.contains(i + 1, to, "unique") || t.contains(i + 1, to, "primary", "key")) {
            out.add(t.contains(i + 1, to, "unique") ? "add_column.unique" : "add_column.primary_key");
        }
        if (t.contains(i, to, "references")) {
            out.add("add_column.references");
        }
    }

    private static void alterColumn(StatementTokens t, int i, int to, Set<String> out) {
        if (t.isWord(i, "constraint")) {
            out.add("alter_constraint");
            return;
        }
        if (t.isWord(i, "column")) {
            i++;
        }
        int c = i + 1;   // after the column name
        if (t.isWord(c, "type") || t.wordsAt(c, "set", "data", "type")) {
            int typeAt = t.isWord(c, "type") ? c + 1 : c + 3;
            String type = TypeName.at(t, typeAt);
            out.add("alter_column_type");
            if (type != null) {
                out.add("column_type:" + type);
            }
            boolean widening = type != null && Set.of("text", "varchar", "varchar(n)").contains(type)
                    && !t.contains(typeAt, to, "using") && !t.contains(typeAt, to, "collate");
            out.add(widening ? "alter_column_type.widening" : "alter_column_type.rewrite");
        } else if (t.wordsAt(c, "set", "not", "null")) {
            out.add("set_not_null");
        } else if (t.wordsAt(c, "drop", "not", "null")) {
            out.add("drop_not_null");
        } else if (t.wordsAt(c, "set", "default")) {
            out.add("set_default");
        } else if (t.wordsAt(c, "drop", "default")) {
            out.add("drop_default");
        } else if (t.wordsAt(c, "set", "statistics")) {
            out.add("set_statistics");
        } else if (t.wordsAt(c, "set", "storage") || t.wordsAt(c, "set", "compression")) {
            out.add("set_storage");
        } else if (t.isWord(c, "set") && t.get(c + 1) != null && t.get(c + 1).isSymbol("(") || t.isWord(c, "reset")) {
            out.add("set_attribute_options");
        } else if (t.wordsAt(c, "drop", "expression")) {
            out.add("drop_expression");
        } else if (t.wordsAt(c, "add", "generated") || t.wordsAt(c, "drop", "identity") || t.isWord(c, "restart")
                || t.wordsAt(c, "set", "generated")) {
            out.add("identity");
        } else {
            out.add("other");
        }
    }
}
