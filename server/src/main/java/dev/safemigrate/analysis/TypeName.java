package dev.safemigrate.analysis;

/** A column type as written, reduced to the spelling the rules compare ({@code varchar(n)}, {@code timestamp}, …). */
final class TypeName {

    private TypeName() {}

    /** The normalised type starting at token i, or null when there is none. */
    static String at(StatementTokens t, int i) {
        SqlToken a = t.get(i);
        if (a == null || !a.isName()) {
            return null;
        }
        StatementTokens.QualifiedName q = t.nameAt(i);
        String name = q.unqualified();
        int next = q.next();
        if ((name.equals("character") || name.equals("char")) && t.isWord(next, "varying")) {
            name = "varchar";
            next++;
        } else if (name.equals("double") && t.isWord(next, "precision")) {
            name = "float8";
            next++;
        }
        boolean sized = t.get(next) != null && t.get(next).isSymbol("(");
        if (sized) {
            next = t.closing(next) + 1;
        }
        if (name.equals("timestamp") || name.equals("time")) {
            if (t.wordsAt(next, "with", "time", "zone")) {
                return name + "tz";
            }
            return name;
        }
        return switch (name) {
            case "int", "int4", "integer" -> "integer";
            case "character varying" -> "varchar";
            case "varchar" -> sized ? "varchar(n)" : "varchar";
            case "serial4" -> "serial";
            default -> name;
        };
    }
}
