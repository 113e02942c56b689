package dev.safemigrate.cli.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import dev.safemigrate.config.ConfigLoader;
import dev.safemigrate.config.KeyFolder;

/**
 * Everything init sets up in a project, planned in full before anything is written: a file that
 * cannot be merged stops init before it has touched any other.
 */
public final class ProjectSetup {

    private ProjectSetup() {}

    /** @param jar the safemigrate jar the MCP client should run */
    public static List<PlannedFile> plan(Path root, Path jar) throws SetupException, IOException {
        return plan(root, jar, false);
    }

    /** @param prismaImported Prisma's migrations are being imported into {@link #PRISMA_IMPORT_DIR} */
    public static List<PlannedFile> plan(Path root, Path jar, boolean prismaImported) throws SetupException, IOException {
        String home = System.getenv("HOME");
        Path configHome = KeyFolder.userConfigHome(System::getenv);
        ProtectedPaths paths = ProtectedPaths.of(configHome, StartupArchive.folder(System::getenv),
                Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
        return List.of(config(root, prismaImported), GitignoreEntry.plan(root), McpServers.plan(root, jar, configHome),
                ClaudeMdSection.plan(root), ClaudePermissions.plan(root, paths));
    }

    /** Where a new configuration puts Prisma's imported migrations. */
    public static final String PRISMA_IMPORT_DIR = ExistingMigrations.DEFAULT;

    /** Prisma's folder, when the project has one. */
    public static Path prismaMigrations(Path root) {
        return root.resolve(ExistingMigrations.PRISMA);
    }

    private static PlannedFile config(Path root, boolean prismaImported) {
        Path file = root.resolve(ConfigLoader.FILE_NAME);
        if (Files.exists(file)) {
            return PlannedFile.unchanged(file, "exists, left as it is");
        }
        ExistingMigrations m = prismaImported ? ExistingMigrations.importedFromPrisma() : ExistingMigrations.find(root);
        String name = root.getFileName() == null ? "app" : root.getFileName().toString().replaceAll("[^A-Za-z0-9_]", "_");
        return new PlannedFile(file, ConfigTemplate.of(m, name), "created; migrations in " + m.dir()
                + (m.prisma() ? " (Prisma's folder, layout = \"prisma\": Prisma's history is kept)" : m.imported() ? " (imported from Prisma)"
                : m.found() ? " (found)" : ""));
    }

    /** Writes each changed file under a temporary name first, so a crash never leaves half a file. */
    public static void write(PlannedFile planned) throws IOException {
        Path target = planned.path();
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, planned.content());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
