package dev.safemigrate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text in, findings out; no database. This first version splits and classifies each statement
 * by its leading keywords and knows which statements PostgreSQL refuses inside a transaction;
 * the rule set arrives with the analysis issue.
 */
public final class MigrationAnalyzer {

    /** Statements PostgreSQL refuses inside a transaction block. */
    private static final Pattern NON_TRANSACTIONAL = Pattern.compile("(?is)\\s*(create\\s+(unique\\s+)?index\\s+concurrently"
            + "|drop\\s+index\\s+concurrently|reindex\\b.*\\bconcurrently|vacuum\\b|create\\s+database|drop\\s+database"
            + "|alter\\s+system|create\\s+tablespace|drop\\s+tablespace"
            + "|alter\\s+table\\b.*\\bdetach\\s+partition\\b.*\\bconcurrently).*");

    public MigrationAnalysis analyze(String sql) {
        List<StatementAnalysis> statements = new ArrayList<>();
        int index = 0;
        for (SqlStatement s : SqlSplitter.split(sql)) {
            index++;
            boolean transactional = !s.metaCommand() && !NON_TRANSACTIONAL.matcher(s.text()).matches();
            statements.add(new StatementAnalysis(index, s.line(), s.text(), kindOf(s), List.of(), null, false,
                    transactional, List.of()));
        }
        return new MigrationAnalysis(statements, List.of());
    }

    private static String kindOf(SqlStatement s) {
        if (s.metaCommand()) {
            return "psql_meta_command";
        }
        String[] words = s.text().toLowerCase(Locale.ROOT).split("[^a-z_]+", 4);
        if (words.length >= 2 && (words[0].equals("create") || words[0].equals("drop") || words[0].equals("alter"))) {
            return words[0] + "_" + words[1];
        }
        return words.length > 0 && !words[0].isEmpty() ? words[0] : "opaque";
    }
}
