package dev.safemigrate.analysis;

import java.util.HashSet;
import java.util.Set;

/** The columns a statement proves non-null with {@code CHECK (column IS NOT NULL)}, as {@code table.column}. */
public final class NotNullChecks {

    private NotNullChecks() {}

    public static Set<String> in(StatementTokens t, String table) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i + 3 < t.size(); i++) {
            SqlToken column = t.get(i);
            if (column.isName() && column.depth() > 0 && t.wordsAt(i + 1, "is", "not", "null")) {
                out.add(table + "." + column.text());
            }
        }
        return out;
    }

    /** The column an ALTER TABLE … ALTER [COLUMN] c SET NOT NULL names, or null. */
    public static String setNotNullColumn(StatementTokens t) {
        int at = t.find(0, t.size(), "set", "not", "null");
        if (at < 1) {
            return null;
        }
        SqlToken column = t.get(at - 1);
        return column.isName() ? column.text() : null;
    }

    /** The name after the first CONSTRAINT keyword of an ALTER TABLE (ADD/VALIDATE CONSTRAINT name), or null. */
    public static String constraintName(StatementTokens t) {
        int at = t.find(0, t.size(), "constraint");
        SqlToken name = at < 0 ? null : t.get(at + 1);
        return name != null && name.isName() ? name.text() : null;
    }
}
