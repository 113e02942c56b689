package dev.safemigrate.tools;


/**
 * The words for a database safemigrate has not adopted yet: it has objects but no Flyway history,
 * so Flyway would refuse to migrate it. Only a person may record a baseline; the agent is told so.
 */
final class Adoption {

    static final String HINT = "Nothing was applied. Do not work around this: show it to your user. A person adopts an "
            + "existing database at a terminal with `safemigrate baseline`, which shows what it will record and asks "
            + "first; the agent cannot.";

    private Adoption() {}

    /** Which other tool manages the database, and the way a person moves it to safemigrate. */
    static String otherTools(java.util.List<dev.safemigrate.db.OtherMigrationTools.Found> found) {
        StringBuilder sb = new StringBuilder();
        for (dev.safemigrate.db.OtherMigrationTools.Found f : found) {
            sb.append(" This database is managed by ").append(f.tool()).append(" (").append(f.schema()).append('.')
                    .append(f.table()).append(")");
            sb.append(f.table().equals("_prisma_migrations")
                    ? ": a person imports Prisma's migrations with `safemigrate init --import-prisma`, then records "
                            + "exactly the ones Prisma finished with `safemigrate baseline --from-prisma`, and stops "
                            + "running `prisma migrate` against it."
                    : ": a person makes the migrations folder hold that tool's history as V<version>__<name>.sql files "
                            + "(or none), records a baseline with `safemigrate baseline`, and stops running " + f.tool()
                            + "'s migrations against it.");
        }
        return sb.toString();
    }

    /**
     * A Prisma project's database whose schema has objects but no {@code _prisma_migrations}: made with
     * {@code prisma db push} or by hand. Prisma's deploy refuses it (P3005) until a person baselines it
     * Prisma's way, and so does safemigrate, in Prisma's words.
     */
    static String prismaMessage(String schema) {
        return "schema \"" + schema + "\" already holds tables or other objects but has no _prisma_migrations: this "
                + "database was not made by Prisma's migrations, so which of them it already has is unknown (Prisma: "
                + "\"The database schema is not empty. Read more about how to baseline an existing production database: "
                + "https://pris.ly/d/migrate-baseline\", P3005)";
    }

    static final String PRISMA_HINT = "Nothing was applied. Do not work around this: show it to your user. A person "
            + "baselines the database Prisma's way, at a terminal: `prisma migrate resolve --applied <migration>` for each "
            + "migration in prisma/migrations the schema already has (https://pris.ly/d/migrate-baseline); the agent cannot.";

    /** The words for an unadopted schema in the layout whose history table is {@code table}. */
    static String message(String schema, String table) {
        return table.equals(dev.safemigrate.migrations.PrismaMigrations.TABLE) ? prismaMessage(schema) : message(schema);
    }

    static String hint(String table) {
        return table.equals(dev.safemigrate.migrations.PrismaMigrations.TABLE) ? PRISMA_HINT : HINT;
    }

    static String message(String schema) {
        return "schema \"" + schema + "\" already holds tables or other objects but has no Flyway history "
                + "(flyway_schema_history): this database was created without safemigrate, so its migrations cannot "
                + "be applied until a person records a baseline";
    }
}
