package dev.safemigrate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Prisma's checksum rule, with the cases of Prisma's own tests in prisma-engines
 * {@code schema-engine/connectors/schema-connector/src/checksum.rs}.
 */
class PrismaChecksumTest {

    @Test
    void isTheSha256OfTheScriptZeroPadded() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", PrismaChecksum.of("hello"));
        assertEquals(64, PrismaChecksum.of("abcd").length());
    }

    @Test
    void matchesWhateverTheLineEndingsOfTheCheckout() {
        String[][] scripts = {
                {"ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"},
                {"ab\ncd\nef\ngh\rab\n", "ab\r\ncd\r\nef\r\ngh\rab\r\n"}};
        for (String[] pair : scripts) {
            for (String script : pair) {
                for (String other : pair) {
                    assertTrue(PrismaChecksum.matches(script, PrismaChecksum.of(other)), script + " / " + other);
                }
            }
        }
    }

    @Test
    void doesNotMatchAnotherScript() {
        assertFalse(PrismaChecksum.matches("abc", PrismaChecksum.of("abcd")));
        assertFalse(PrismaChecksum.matches("abc\n", PrismaChecksum.of("abc")));
        assertFalse(PrismaChecksum.matches("abc", null));
    }

    /** prisma-engines#1887: an old engine wrote each byte without its leading zero. */
    @Test
    void matchesTheUnpaddedChecksumsOfOldEngines() {
        String padded = PrismaChecksum.of("hello");
        StringBuilder unpadded = new StringBuilder();
        for (int i = 0; i < padded.length(); i += 2) {
            unpadded.append(Integer.toHexString(Integer.parseInt(padded.substring(i, i + 2), 16)));
        }
        assertTrue(unpadded.length() < 64, unpadded.toString());
        assertTrue(PrismaChecksum.matches("hello", unpadded.toString()));
        assertFalse(PrismaChecksum.matches("hello!", unpadded.toString()));
    }
}
