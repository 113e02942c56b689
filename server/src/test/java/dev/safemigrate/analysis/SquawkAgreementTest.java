package dev.safemigrate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Agreement with squawk on test cases squawk labelled itself: the SQL of its rule tests and whether
 * each test expects its rule to fire (resources analysis/squawk-cases.sql; copied from squawk under its
 * MIT licence, whose notice the file carries). A case agrees when safemigrate reports a finding of
 * the matching rule family exactly when squawk's test expects one. A dangerous miss — squawk reports
 * it and safemigrate finds nothing of warn or above — fails the test outright.
 *
 * <p>Explicit {@code BEGIN;}/{@code COMMIT;} lines are left out: Flyway runs each migration in a
 * transaction itself, and safemigrate refuses transaction control in a migration
 * ({@code transaction-control}). For squawk's concurrent-index-in-a-transaction rule the explicit
 * transaction is the point, so there they stay, and refusing them counts as that rule.
 */
class SquawkAgreementTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();

    /** squawk rule → the safemigrate rule ids that report the same danger. */
    private static final Map<String, Set<String>> FAMILIES = Map.ofEntries(
            Map.entry("adding_field_with_default", Set.of("volatile-default")),
            Map.entry("disallow_unique_constraint", Set.of("unique-not-using-index", "add-column-unique")),
            Map.entry("adding_primary_key_constraint", Set.of("unique-not-using-index", "add-column-unique")),
            Map.entry("require_concurrent_index_deletion", Set.of("drop-index-not-concurrent")),
            Map.entry("changing_column_type", Set.of("alter-column-type")),
            Map.entry("require_concurrent_partition_detach", Set.of("detach-partition-not-concurrent")),
            Map.entry("require_concurrent_reindex", Set.of("blocking-maintenance")),
            Map.entry("require_concurrent_index_creation", Set.of("index-not-concurrent")),
            Map.entry("adding_not_null_field", Set.of("set-not-null")),
            Map.entry("adding_required_field", Set.of("not-null-without-default")),
            Map.entry("constraint_missing_not_valid", Set.of("constraint-not-valid")),
            Map.entry("ban_drop_column", Set.of("drop-column")),
            Map.entry("ban_drop_database", Set.of("drop-database")),
            Map.entry("ban_drop_table", Set.of("drop-table")),
            Map.entry("renaming_column", Set.of("rename-column")),
            Map.entry("renaming_table", Set.of("rename-table")),
            Map.entry("ban_concurrent_index_creation_in_transaction", Set.of("concurrently-in-transaction", "transaction-control")));

    private static final Pattern TRANSACTION_LINE = Pattern.compile("(?im)^\\s*(begin|commit)\\s*;\\s*$");

    record Case(String rule, String test, boolean squawkFlags, String sql) {}

    @Test
    void agreesWithSquawkOnAllButTwoOfItsLabelledCasesAndNeverCallsSafeWhatSquawkFlags() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 59, "squawk cases: " + cases.size());
        List<String> disagreements = new ArrayList<>();
        List<String> dangerous = new ArrayList<>();
        for (Case c : cases) {
            Set<String> family = FAMILIES.get(c.rule());
            String sql = c.rule().equals("ban_concurrent_index_creation_in_transaction") ? c.sql()
                    : TRANSACTION_LINE.matcher(c.sql()).replaceAll("");
            List<Finding> findings = ANALYZER.analyze(sql, "app_dev").findings();
            boolean flagged = findings.stream().anyMatch(f -> family.contains(f.rule()));
            if (flagged != c.squawkFlags()) {
                disagreements.add(c.rule() + "::" + c.test() + " squawk " + (c.squawkFlags() ? "flags" : "passes")
                        + ", safemigrate found " + findings.stream().map(f -> f.rule() + "/" + f.severity().id()).toList());
            }
            if (c.squawkFlags() && findings.stream().noneMatch(f -> f.severity().atLeast(Severity.WARN))) {
                dangerous.add(c.rule() + "::" + c.test());
            }
        }
        int agreed = cases.size() - disagreements.size();
        System.out.println("squawk agreement: " + agreed + " of " + cases.size() + (disagreements.isEmpty() ? ""
                : "; disagreements: " + String.join("; ", disagreements)));
        assertEquals(List.of(), dangerous, "squawk flags these and safemigrate calls them safe");
        assertTrue(agreed >= cases.size() - 2, agreed + " of " + cases.size() + ": " + disagreements);
    }

    static List<Case> cases() throws IOException {
        String text;
        try (InputStream in = SquawkAgreementTest.class.getResourceAsStream("/analysis/squawk-cases.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> out = new ArrayList<>();
        String[] parts = text.split("(?m)^=== ");
        for (int i = 1; i < parts.length; i++) {
            int eol = parts[i].indexOf('\n');
            String[] head = parts[i].substring(0, eol).trim().split(" ");
            String[] name = head[0].split("::");
            assertTrue(FAMILIES.containsKey(name[0]), "no family for " + name[0]);
            assertTrue(Set.of("ERR", "OK").contains(head[1]), head[1]);
            out.add(new Case(name[0], name[1], head[1].equals("ERR"), parts[i].substring(eol + 1)));
        }
        return out;
    }
}
