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

    static String message(String schema) {
        return "schema \"" + schema + "\" already holds tables or other objects but has no Flyway history "
                + "(flyway_schema_history): this database was created without safemigrate, so its migrations cannot "
                + "be applied until a person records a baseline";
    }
}
