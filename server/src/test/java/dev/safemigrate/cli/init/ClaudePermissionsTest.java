package dev.safemigrate.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClaudePermissionsTest {

    @Test
    void theKeyFolderIsDeniedHomeRelativeWhenItIsInTheHome() {
        assertEquals(List.of("Read(~/.config/safemigrate/**)", "Read(./.env)", "Read(./.env.*)", "Read(**/.env)",
                "Read(**/.env.*)"), ClaudePermissions.secretReads(Path.of("/home/ann/.config"), Path.of("/home/ann")));
    }

    @Test
    void aConfigHomeOutsideTheHomeIsDeniedByItsAbsolutePath() {
        // "//" starts an absolute path in Claude Code's rules; "/x" would be relative to the settings file
        assertTrue(ClaudePermissions.secretReads(Path.of("/srv/conf"), Path.of("/home/ann"))
                .contains("Read(//srv/conf/safemigrate/**)"));
    }
}
