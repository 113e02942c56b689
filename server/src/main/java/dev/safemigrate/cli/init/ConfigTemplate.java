package dev.safemigrate.cli.init;

/** The commented safemigrate.toml init writes when the project has none. */
final class ConfigTemplate {

    private ConfigTemplate() {}

    static String of(ExistingMigrations m, String projectName) {
        return """
                # safemigrate: how AI agents may change this project's PostgreSQL schema.
                # Relative paths are relative to this file. The server never reads DATABASE_URL or any other
                # environment variable unless this file names it.

                [migrations]
                %s
                dir = "%s"
                # timestamp: V20261124153000__name.sql   sequence: V7__name.sql
                versioning = "%s"

                [dev]
                # The one database agents may change. By default an embedded PostgreSQL under .safemigrate/.
                # To use your own development database instead, remove `embedded` and set:
                # url = "jdbc:postgresql://localhost:5432/%s_dev"
                # user = "app"
                # password = "${env:DEV_DB_PASSWORD}"     # or "${dotenv:.env.local:DEV_DB_PASSWORD}"
                # expect_database = "%s_dev"             # refuse any other database name
                # Then mark it once, at a terminal: safemigrate mark-dev
                embedded = true

                [policy]
                # allow_hosts = ["localhost", "127.0.0.1", "::1"]
                # deny_patterns = ["prod", "production", "live"]   # matched against host and database name
                # destructive = "confirm"               # refuse | confirm | human
                # backup_before_apply = "destructive"   # always | destructive | never
                # lock_timeout = "5s"
                # statement_timeout = "10min"

                [backup]
                # dir = ".safemigrate/backups"
                # keep = 20
                # pg_dump = "pg_dump"                   # or a full path; pg_restore is expected beside it

                [audit]
                # Every tool call, one hash-chained JSON line each. Read it with: safemigrate log
                # log = ".safemigrate/audit.jsonl"
                """.formatted(comment(m), m.dir(), m.versioning(), projectName, projectName);
    }

    private static String comment(ExistingMigrations m) {
        if (m.prisma()) {
            return """
                    # Found Prisma's migrations folder: safemigrate works in it, as Prisma does. create_migration
                    # writes prisma/migrations/<timestamp>_<name>/migration.sql, and every migration apply_to_dev
                    # applies is recorded in _prisma_migrations exactly as `prisma migrate deploy` records it, so
                    # your production pipeline (prisma migrate deploy) stays as it is. A database Prisma migrated
                    # needs no baseline: its finished _prisma_migrations rows are the applied history.
                    layout = "prisma"
                    """.stripTrailing();
        }
        if (m.imported()) {
            return """
                    # Prisma's migrations were imported here as V<timestamp>__<name>.sql files (byte for byte).
                    # If Prisma already migrated the database, record what it applied once, at a terminal:
                    #   safemigrate baseline --from-prisma
                    # and stop running `prisma migrate` against it.""";
        }
        return m.found() ? "# Found an existing Flyway migrations folder; safemigrate adds its migrations to it."
                : "# No migrations folder was found; safemigrate creates this one with the first migration.";
    }
}
