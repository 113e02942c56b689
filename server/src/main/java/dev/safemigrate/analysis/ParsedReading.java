package dev.safemigrate.analysis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterSystemStatement;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/** JSqlParser's tree, translated into the vocabulary of {@link Reading}; null for what it does not model. */
final class ParsedReading {

    private ParsedReading() {}

    static Reading of(Statement s) {
        Set<String> actions = new LinkedHashSet<>();
        String kind;
        String target = null;
        if (s instanceof Select) {
            kind = "select";
        } else if (s instanceof Insert i) {
            kind = "insert";
            target = i.getTable() == null ? null : i.getTable().getFullyQualifiedName();
        } else if (s instanceof Update u) {
            kind = "update";
            target = u.getTable() == null ? null : u.getTable().getFullyQualifiedName();
            if (u.getWhere() == null) {
                actions.add("update_without_where");
            }
        } else if (s instanceof Delete d) {
            kind = "delete";
            target = d.getTable() == null ? null : d.getTable().getFullyQualifiedName();
            if (d.getWhere() == null) {
                actions.add("delete_without_where");
            }
        } else if (s instanceof Merge) {
            kind = "merge";
        } else if (s instanceof CreateTable c) {
            kind = c.getSelect() != null ? "create_table_as" : "create_table";
            target = c.getTable().getFullyQualifiedName();
        } else if (s instanceof CreateView v) {
            kind = "create_view";
            target = v.getView() == null ? null : v.getView().getFullyQualifiedName();
        } else if (s instanceof CreateIndex c) {
            kind = "create_index";
            target = c.getTable() == null ? null : c.getTable().getFullyQualifiedName();
        } else if (s instanceof Drop d) {
            kind = "drop_" + d.getType().toLowerCase(Locale.ROOT).trim().replace(' ', '_');
            target = d.getName() == null ? null : d.getName().getFullyQualifiedName();
        } else if (s instanceof Truncate) {
            kind = "truncate";
        } else if (s instanceof Alter a) {
            kind = "alter_table";
            target = a.getTable() == null ? null : a.getTable().getFullyQualifiedName();
            for (AlterExpression e : a.getAlterExpressions() == null ? List.<AlterExpression>of() : a.getAlterExpressions()) {
                String action = switch (e.getOperation()) {
                    case DROP -> e.getColumnName() != null ? "drop_column" : null;
                    case RENAME_TABLE -> "rename";
                    case RENAME -> e.getColumnOldName() != null ? "rename_column" : null;
                    default -> null;
                };
                if (action != null) {
                    actions.add(action);
                    kind = "alter_table." + action;
                }
            }
            if (kind.equals("alter_table")) {
                kind = "alter_table.other";
            }
        } else if (s instanceof Grant g) {
            kind = "grant";
            if (g.getRole() != null && g.getObjectName() == null) {
                actions.add("grant_role");
            }
        } else if (s instanceof SetStatement) {
            kind = "set";
        } else if (s instanceof AlterSystemStatement) {
            kind = "alter_system";
        } else if (s instanceof Commit) {
            kind = "commit";
        } else if (s instanceof RollbackStatement) {
            kind = "rollback";
        } else if (s instanceof SavepointStatement) {
            kind = "savepoint";
        } else {
            return null;   // UnsupportedStatement and forms we do not translate: no second opinion
        }
        return new Reading(kind, target == null ? List.of() : List.of(target.toLowerCase(Locale.ROOT)), actions, false);
    }
}
