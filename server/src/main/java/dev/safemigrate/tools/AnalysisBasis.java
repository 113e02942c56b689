package dev.safemigrate.tools;

/**
 * Which kind of analysis a result gives: {@code static} (the SQL text alone, true of any
 * database) or {@code catalog} (the text plus what the development database's catalog says about
 * the tables it targets: column types, estimated rows, size).
 *
 * @param serverVersion the development database's server version when the catalog was read
 * @param note          why the analysis is static, or what the catalog facts stand for
 */
public record AnalysisBasis(String kind, String serverVersion, String note) {

    public static final String STATIC = "static";
    public static final String CATALOG = "catalog";

    public static AnalysisBasis staticOnly(String why) {
        return new AnalysisBasis(STATIC, null, why);
    }

    public static AnalysisBasis catalog(String serverVersion) {
        return new AnalysisBasis(CATALOG, serverVersion, "column types, estimated rows and sizes read from the catalog "
                + "of the development database (PostgreSQL " + serverVersion + "); production may differ");
    }

    public boolean fromCatalog() {
        return CATALOG.equals(kind);
    }
}
