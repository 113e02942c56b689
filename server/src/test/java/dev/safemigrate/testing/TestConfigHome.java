package dev.safemigrate.testing;

import java.nio.file.Path;

/**
 * Where tests keep the keys safemigrate stores in the user's configuration directory: the pom sets
 * XDG_CONFIG_HOME to target/test-config-home for every test JVM and the servers they start. Run
 * without it (an IDE that ignores the pom), a test would write keys into the real ~/.config: refuse.
 */
public final class TestConfigHome {

    private TestConfigHome() {}

    public static Path dir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg == null || !xdg.replace('\\', '/').contains("/target/")) {
            throw new IllegalStateException("XDG_CONFIG_HOME is " + xdg + ": run the tests through Maven, whose surefire "
                    + "and failsafe configuration points it into target/, so no test writes keys into your real home");
        }
        return Path.of(xdg);
    }
}
