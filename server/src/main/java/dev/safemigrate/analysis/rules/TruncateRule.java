package dev.safemigrate.analysis.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.Severity;
import dev.safemigrate.analysis.StatementContext;

/** confirm: TRUNCATE removes every row, and takes an ACCESS EXCLUSIVE lock to do it. */
public final class TruncateRule implements Rule {

    public List<String> ids() {
        return List.of("truncate");
    }

    public List<Finding> check(StatementContext s) {
        if (!s.kind().equals("truncate")) {
            return List.of();
        }
        return List.of(s.finding("truncate", Severity.CONFIRM,
                "TRUNCATE " + String.join(", ", s.reading().targets()) + " deletes every row"
                        + (s.tokens().contains(0, s.tokens().size(), "cascade") ? ", and CASCADE empties the tables referencing it too." : "."),
                "Take a backup first; to remove only some rows: DELETE FROM " + s.target() + " WHERE …;"));
    }
}
