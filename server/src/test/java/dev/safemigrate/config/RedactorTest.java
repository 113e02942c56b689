package dev.safemigrate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {

    @TempDir
    Path dir;

    @Test
    void everySecretIsCutFromTextMapsAndListsLongestFirst() {
        Redactor r = new Redactor(Set.of("hunter22", "hunter22-and-more", "ab"));
        assertEquals("pw [redacted] and [redacted]", r.redact("pw hunter22 and hunter22-and-more"));
        assertEquals("ab stays: too short to protect anything", r.redact("ab stays: too short to protect anything"));
        Object out = r.redactValue(Map.of("error", Map.of("message", "invalid input: \"hunter22\""),
                "list", List.of("x hunter22", 3)));
        assertEquals(Map.of("error", Map.of("message", "invalid input: \"[redacted]\""), "list", List.of("x [redacted]", 3)),
                out);
    }

    @Test
    void stderrIsRedactedLineByLineEvenWhenASecretIsWrittenInPieces() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream err = new Redactor(Set.of("hunter22")).lines(sink);
        err.print("ERROR: value \"hun");
        err.print("ter22\" is not an integer");
        err.println();
        new IllegalStateException("leaked hunter22").printStackTrace(err);
        String text = sink.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("hunter22"), text);
        assertTrue(text.startsWith("ERROR: value \"[redacted]\" is not an integer\n"), text);
    }

    @Test
    void urlsAreShownWithoutTheirQueryString() {
        assertEquals("jdbc:postgresql://db:5432/app?…",
                Redactor.withoutParameters("jdbc:postgresql://db:5432/app?sslpassword=x&password=y"));
        assertEquals("jdbc:postgresql://db/app", Redactor.withoutParameters("jdbc:postgresql://db/app"));
    }

    @Test
    void theConfigurationExposesEverySecretItResolvedButNotTheUserName() throws Exception {
        Files.writeString(dir.resolve(".env.local"), "DEV_DB_PASSWORD=from-dotenv\nDEV_USER=appuser\n");
        Files.writeString(dir.resolve("safemigrate.toml"), """
                [dev]
                url = "jdbc:postgresql://localhost/app_dev?sslpassword=key%2Bpass&ssl=true"
                user = "${dotenv:.env.local:DEV_USER}"
                password = "${dotenv:.env.local:DEV_DB_PASSWORD}"
                """);
        Config c = new ConfigLoader(name -> null, dir.resolve("home")).load(null, dir);
        assertEquals(Set.of("from-dotenv", "key%2Bpass", "key+pass"), c.secrets());
        assertFalse(c.dev().toString().contains("key"), c.dev().toString());
        assertTrue(c.keyDir().startsWith(dir.resolve("home/safemigrate/projects")), c.keyDir().toString());
    }
}
