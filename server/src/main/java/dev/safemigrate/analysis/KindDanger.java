package dev.safemigrate.analysis;

/** A coarse order of how much harm a kind of statement can do, to settle disagreements between readers. */
final class KindDanger {

    private KindDanger() {}

    static int rank(String kind) {
        if (kind.equals("drop_database") || kind.equals("alter_system") || kind.startsWith("create_role")
                || kind.startsWith("alter_role") || kind.startsWith("drop_role") || kind.endsWith("_user")
                || kind.equals("copy")) {
            return 100;
        }
        if (kind.startsWith("drop_") || kind.equals("truncate") || kind.endsWith(".drop_column")
                || kind.equals("do_block") || kind.equals(Reading.OPAQUE)) {
            return 80;
        }
        if (kind.startsWith("alter_table.") || kind.equals("update") || kind.equals("delete") || kind.equals("merge")) {
            return 60;
        }
        if (kind.startsWith("alter_") || kind.equals("create_index") || kind.equals("vacuum") || kind.equals("reindex")
                || kind.equals("cluster")) {
            return 40;
        }
        if (kind.equals("select") || kind.equals("show") || kind.equals("explain")) {
            return 10;
        }
        return 20;
    }
}
