package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The marker search without a lowercased copy of the text finds what the copy's indexOf found. */
class AllowCommentsMarkerTest {

    private static boolean reference(String sql) {
        return sql.toLowerCase(Locale.ROOT).indexOf(AllowComments.MARKER) >= 0;
    }

    @Test
    void findsTheMarkerWhereTheLowercasedCopyDoes() {
        List<String> cases = List.of("", ":", "safemigrate:", "SAFEMIGRATE:", "-- SafeMigrate:allow x", "safemigrate",
                "safemigrate :", "xsafemigrate:", "afemigrate:", "ſafemigrate:", "safemİgrate:", "safemıgrate:",
                "SAFEMİGRATE:", "safem\u0130grate:", "safemigrate\uFF1A", "::safemigrate::", "safemigrat:e:");
        for (String c : cases) {
            assertEquals(reference(c), AllowComments.mayHoldMarker(c), c);
        }
        assertTrue(AllowComments.mayHoldMarker("select 1; -- SAFEMIGRATE:allow drop-table why"));
        assertFalse(AllowComments.mayHoldMarker("select 'safemigrate';"));
    }

    @Test
    void findsTheMarkerWhereTheLowercasedCopyDoesOnGeneratedText() {
        Random random = new Random(4);
        String[] pieces = {"s", "S", "a", "A", "f", "e", "m", "i", "I", "g", "r", "t", "T", ":", "safemigrate", "SAFEMIGRATE",
                "ſ", "İ", "ı", "\u212A", "é", "\uD83D\uDE00", " ", "--"};
        int found = 0;
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            assertEquals(reference(text), AllowComments.mayHoldMarker(text), text);
            found += reference(text) ? 1 : 0;
        }
        assertTrue(found > 50, "texts with the marker were compared too: " + found);
    }
}
