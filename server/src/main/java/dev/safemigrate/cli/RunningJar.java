package dev.safemigrate.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/** The jar this process runs from: what an MCP client must start to get this same safemigrate. */
final class RunningJar {

    private RunningJar() {}

    /** @return empty when running from classes (an IDE, the tests), not from a jar */
    static Optional<Path> locate() {
        CodeSource source = RunningJar.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")
                    ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
