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
 * database around safemigrate, reading its secrets (the key folder, {@code .env*}) and writing the
 * files that decide what it allows (ProtectedPaths); and Claude Code's OS sandbox for Bash, with
 * the same paths denied. Existing rules and settings stay; missing ones are added.
 *
 * <p>Two layers, because each binds different things. Read and Edit rules bind Claude Code's own
 * file tools (Edit covers Write and NotebookEdit: a {@code Write(path)} rule is never matched),
 * not a shell command such as {@code cat} or {@code cp}. The sandbox (bubblewrap on Linux, Seatbelt
 * on macOS) applies {@code filesystem.denyRead/denyWrite} to every Bash command and what it starts.
 * Neither binds a process Claude Code does not start, nor an MCP server (docs/security.md).
 *
 * <p>Syntax of Claude Code 2.1.337 (npm, 2026-12-04), checked against the settings schema that
 * version prints ({@code claude --settings-schema}, kept in src/test/resources/claude-code/) and
 * its own settings check ({@code ClaudeSettingsSchemaTest}):
 * <ul>
 * <li>{@code Bash(prefix:*)}: every version reads it as "this command, with any arguments" (newer
 *     ones also accept {@code Bash(prefix *)}, which older ones take literally and never match).</li>
 * <li>Paths, in rules and in the sandbox alike: {@code ~/} the home, {@code //} an absolute path
 *     (in a rule, {@code /x} is relative to the project; in the sandbox, versions differ), {@code ./}
 *     the project.</li>
 * <li>On Linux the sandbox skips glob patterns in write denies (its {@code /sandbox} listing warns
 *     "Linux doesn't fully support glob patterns"), so every write deny names its path literally;
 *     read globs are expanded to the files that exist when a command starts.</li>
 * </ul>
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
            // the policy and the record of what happened are the person's, not the agent's, wherever the file
            // tools find them ("**/" matches any folder; the literal paths ProtectedPaths adds are for the sandbox)
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

    /** Reading the project's secrets, as Read rules. */
    static List<String> secretReads(Path userConfigHome, Path userHome) {
        return ProtectedPaths.of(userConfigHome, userHome.resolve(".cache/safemigrate"), userHome).secrets().stream()
                .map(p -> "Read(" + p.rule() + ")").toList();
    }

    static PlannedFile plan(Path root, ProtectedPaths paths) throws SetupException, IOException {
        Path file = root.resolve(FILE);
        ObjectNode json = JsonFile.read(file);
        ObjectNode permissions = JsonFile.object(json, "permissions", file);
        List<String> wanted = new ArrayList<>(DENY);
        paths.secrets().forEach(p -> wanted.add("Read(" + p.rule() + ")"));
        paths.policy().forEach(p -> wanted.add("Edit(" + p.rule() + ")"));
        int rules = addMissing(permissions, "deny", wanted, file, "permissions.deny").size();

        ObjectNode sandbox = JsonFile.object(json, "sandbox", file);
        JsonNode enabled = sandbox.get("enabled");
        boolean enabling = enabled == null || enabled.isNull();
        if (enabling) {
            sandbox.put("enabled", true);
        } else if (!enabled.isBoolean()) {
            throw new SetupException("\"sandbox.enabled\" in " + file + " is not true or false; fix it, then run "
                    + "safemigrate init again. Nothing was written.");
        }
        ObjectNode filesystem = JsonFile.object(sandbox, "filesystem", file);
        int denies = addMissing(filesystem, "denyRead", paths(paths.secrets()), file, "sandbox.filesystem.denyRead").size()
                + addMissing(filesystem, "denyWrite", paths(paths.policy()), file, "sandbox.filesystem.denyWrite").size();

        // a person who turned the sandbox off keeps it off; init says what that leaves open
        String off = enabled != null && enabled.isBoolean() && !enabled.asBoolean()
                ? "; sandbox.enabled is false, left as it is: Bash commands can still read the keys and write the policy"
                : "";
        int allows = prismaProject(root)
                ? addMissing(permissions, "allow", PRISMA_ALLOW, file, "permissions.allow").size() : 0;
        if (rules == 0 && denies == 0 && allows == 0 && !enabling) {
            return PlannedFile.unchanged(file, "already denies the commands that bypass safemigrate, reading its secrets "
                    + "and writing its policy" + off);
        }
        List<String> what = new ArrayList<>();
        if (rules > 0) {
            what.add(rules + " deny rules for commands that bypass safemigrate (psql, prisma db push, flyway clean, …), "
                    + "for reading its keys and .env files and for editing its policy");
        }
        if (enabling || denies > 0) {
            what.add((enabling ? "Claude Code's sandbox for Bash, with " : "") + denies + " sandbox path denies");
        }
        if (allows > 0) {
            what.add("allowing only the read-only `prisma migrate diff … --script` of Prisma");
        }
        return new PlannedFile(file, JsonFile.write(json), (Files.exists(file) ? "added " : "created with ")
                + String.join("; ", what) + off);
    }

    /** As sandbox paths: a folder's own path covers everything under it. */
    private static List<String> paths(List<ProtectedPaths.Spot> spots) {
        return spots.stream().map(ProtectedPaths.Spot::path).toList();
    }

    /** Appends to the array {@code key} each wanted entry it lacks, keeping what is there first. */
    private static List<String> addMissing(ObjectNode parent, String key, List<String> wanted, Path file, String name)
            throws SetupException {
        JsonNode existing = parent.get(key);
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            throw new SetupException("\"" + name + "\" in " + file + " is not a JSON array; fix it, then run "
                    + "safemigrate init again. Nothing was written.");
        }
        ArrayNode array = existing instanceof ArrayNode a ? a : parent.putArray(key);
        Set<String> present = new HashSet<>();
        array.forEach(r -> present.add(r.asString()));
        List<String> added = new ArrayList<>();
        for (String entry : wanted) {
            if (present.add(entry)) {
                array.add(entry);
                added.add(entry);
            }
        }
        return added;
    }
}
