package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * .claude/settings.json: Claude Code permission rules that deny the shell commands which reach a
 * database around safemigrate, and reading the files that hold its secrets: the key folder in the
 * user's configuration directory and {@code .env*} files. Existing rules and settings stay; missing
 * denies are added.
 *
 * <p>Read rules bind Claude Code's own file tools (and, for a denied path, Edit and Write too), not
 * a shell command such as {@code cat}: they keep an agent from reading a key by accident or on a
 * prompt injection's suggestion, but are not a sandbox (docs/security.md).
 *
 * <p>Rules use the {@code Bash(prefix:*)} form: every Claude Code version reads it as "this
 * command, with any arguments" (newer ones also accept {@code Bash(prefix *)}, which older ones
 * would take literally and so never match).
 */
final class ClaudePermissions {

    static final String FILE = ".claude/settings.json";

    static final List<String> DENY = List.of(
            "Bash(prisma db push:*)", "Bash(npx prisma db push:*)",
            "Bash(prisma db execute:*)", "Bash(npx prisma db execute:*)",
            "Bash(prisma migrate reset:*)", "Bash(npx prisma migrate reset:*)",
            "Bash(prisma migrate deploy:*)", "Bash(npx prisma migrate deploy:*)",
            "Bash(prisma migrate dev:*)", "Bash(npx prisma migrate dev:*)",
            "Bash(prisma migrate resolve:*)", "Bash(npx prisma migrate resolve:*)",
            "Bash(flyway clean:*)", "Bash(flyway migrate:*)", "Bash(flyway repair:*)", "Bash(flyway baseline:*)",
            "Bash(flyway undo:*)",
            "Bash(mvn flyway:clean:*)", "Bash(mvn flyway:migrate:*)", "Bash(mvn flyway:repair:*)",
            "Bash(./mvnw flyway:clean:*)", "Bash(./mvnw flyway:migrate:*)", "Bash(./mvnw flyway:repair:*)",
            "Bash(gradle flywayClean:*)", "Bash(gradle flywayMigrate:*)",
            "Bash(./gradlew flywayClean:*)", "Bash(./gradlew flywayMigrate:*)",
            "Bash(psql:*)", "Bash(pg_restore:*)", "Bash(dropdb:*)", "Bash(createdb:*)", "Bash(pg_ctl:*)",
            "Bash(pg_dumpall:*)",
            // the policy and the record of what happened are the person's, not the agent's. Edit rules cover
            // every file-writing tool; "**/" matches whatever folder Claude Code anchors the rule at.
            "Edit(**/safemigrate.toml)", "Edit(**/.safemigrate/**)");

    /**
     * In a Prisma project, the one Prisma command the agent runs without asking: the read-only diff
     * from the configured database to schema.prisma, as SQL for create_migration, in the form of
     * Prisma 7 ({@code --from-config-datasource}) and of Prisma 6. Exact rules, no {@code :*}: any other
     * argument ({@code --output}, another source) is not covered, and the denies above still bind.
     */
    static final List<String> PRISMA_ALLOW = List.of(
            "Bash(npx prisma migrate diff --from-config-datasource --to-schema prisma/schema.prisma --script)",
            "Bash(prisma migrate diff --from-config-datasource --to-schema prisma/schema.prisma --script)",
            "Bash(npx prisma migrate diff --from-schema-datasource prisma/schema.prisma --to-schema-datamodel "
                    + "prisma/schema.prisma --script)",
            "Bash(prisma migrate diff --from-schema-datasource prisma/schema.prisma --to-schema-datamodel "
                    + "prisma/schema.prisma --script)");

    private ClaudePermissions() {}

    static boolean prismaProject(Path root) {
        return Files.isRegularFile(root.resolve("prisma/schema.prisma")) || Files.isDirectory(root.resolve("prisma/migrations"));
    }

    /**
     * Reading the project's secrets: {@code ./} is the project, {@code ~/} the user's home and
     * {@code //} an absolute path in Claude Code's rule syntax.
     */
    static List<String> secretReads(Path userConfigHome, Path userHome) {
        Path keys = userConfigHome.toAbsolutePath().normalize().resolve("safemigrate");
        Path home = userHome.toAbsolutePath().normalize();
        String folder = keys.startsWith(home) ? "~/" + home.relativize(keys).toString().replace('\\', '/')
                : "/" + keys.toString().replace('\\', '/');
        return List.of("Read(" + folder + "/**)", "Read(./.env)", "Read(./.env.*)", "Read(**/.env)", "Read(**/.env.*)");
    }

    static PlannedFile plan(Path root, Path userConfigHome, Path userHome) throws SetupException, IOException {
        Path file = root.resolve(FILE);
        ObjectNode json = JsonFile.read(file);
        ObjectNode permissions = JsonFile.object(json, "permissions", file);
        JsonNode deny = permissions.get("deny");
        if (deny != null && !deny.isNull() && !deny.isArray()) {
            throw new SetupException("\"permissions.deny\" in " + file + " is not a JSON array; fix it, then run "
                    + "safemigrate init again. Nothing was written.");
        }
        ArrayNode rules = deny instanceof ArrayNode a ? a : permissions.putArray("deny");
        Set<String> present = new HashSet<>();
        rules.forEach(r -> present.add(r.asString()));
        List<String> added = new ArrayList<>();
        List<String> wanted = new ArrayList<>(DENY);
        wanted.addAll(secretReads(userConfigHome, userHome));
        for (String rule : wanted) {
            if (present.add(rule)) {
                rules.add(rule);
                added.add(rule);
            }
        }
        if (prismaProject(root)) {
            JsonNode allow = permissions.get("allow");
            if (allow != null && !allow.isNull() && !allow.isArray()) {
                throw new SetupException("\"permissions.allow\" in " + file + " is not a JSON array; fix it, then run "
                        + "safemigrate init again. Nothing was written.");
            }
            ArrayNode allowed = allow instanceof ArrayNode a ? a : permissions.putArray("allow");
            Set<String> there = new HashSet<>();
            allowed.forEach(r -> there.add(r.asString()));
            for (String rule : PRISMA_ALLOW) {
                if (there.add(rule)) {
                    allowed.add(rule);
                    added.add(rule);
                }
            }
        }
        if (added.isEmpty()) {
            return PlannedFile.unchanged(file, "already denies the commands that bypass safemigrate and reading its secrets");
        }
        return new PlannedFile(file, JsonFile.write(json), (Files.exists(file) ? "added " : "created with ")
                + added.size() + " deny rules for commands that bypass safemigrate (psql, prisma db push, flyway clean, …) "
                + "and for reading its keys and .env files"
                + (prismaProject(root) ? ", allowing only the read-only `prisma migrate diff … --script` of Prisma" : ""));
    }
}
