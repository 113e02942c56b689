package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CLAUDE.md: what an agent in this project must know about changing the schema. Added once. */
final class ClaudeMdSection {

    static final String FILE = "CLAUDE.md";
    static final String MARKER = "<!-- safemigrate -->";

    static final String SECTION = MARKER + """

            ## Database schema changes go through safemigrate

            This project's PostgreSQL schema is changed only through the `safemigrate` MCP server.

            - Start with the `status` tool: it shows which database you are connected to, with proof, and whether it
              is verified as the development database.
            - Workflow: `status` → `backup` → `create_migration` → `show_sql` → `apply_to_dev` with `dry_run: true`
              → `apply_to_dev`. Show the findings of `show_sql` to the user before applying.
            - Never run `psql`, `pg_restore`, `dropdb`, `flyway`, `prisma migrate` or `prisma db push` yourself, and do
              not edit `safemigrate.toml` or anything under `.safemigrate/`; these are denied in `.claude/settings.json`.
            - If a tool refuses, show its message and hint to the user. Do not work around it.
            - An applied migration is immutable: fix a mistake with a new migration.
            - Every tool call is recorded in the audit log; the user reviews it with `safemigrate log`.
            <!-- /safemigrate -->
            """;

    private ClaudeMdSection() {}

    static PlannedFile plan(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (!Files.exists(file)) {
            return new PlannedFile(file, SECTION, "created with the safemigrate section");
        }
        String text = Files.readString(file);
        if (text.contains(MARKER)) {
            return PlannedFile.unchanged(file, "already has the safemigrate section");
        }
        String separator = text.isEmpty() ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
        return new PlannedFile(file, text + separator + SECTION, "appended the safemigrate section");
    }
}
