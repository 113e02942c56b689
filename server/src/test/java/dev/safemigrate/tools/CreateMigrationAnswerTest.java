package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.safemigrate.analysis.Finding;
import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.analysis.MigrationAnalyzer;
import dev.safemigrate.analysis.Severity;

/** create_migration's answer fits the agent's budget whatever the size of the SQL, and says where the rest is. */
class CreateMigrationAnswerTest {

    private static final MigrationAnalyzer ANALYZER = new MigrationAnalyzer();
    private static final String PATH = "db/migrations/V9__seed.sql";

    private static CreateMigrationTool.Output written(String sql) {
        return CreateMigrationTool.written("9", PATH, 0, ANALYZER.analyze(sql), null, null,
                AnalysisBasis.staticOnly("static only: no database in this test"));
    }

    @Test
    void aSmallMigrationsFindingsAreAllShownInFileOrder() {
        String sql = "create table t (id int primary key, name varchar(20));\nalter table t drop column name;\n";
        CreateMigrationTool.Output out = written(sql);
        assertEquals(ANALYZER.analyze(sql).findings(), out.findings());
        assertNull(out.truncated());
        assertEquals("apply_to_dev {\"dry_run\":true}", out.next());
        assertEquals(out.findings().size(), out.findingsSummary().total());
        assertTrue(CreateMigrationTool.text(out).contains("apply_to_dev {\"dry_run\":true}"), CreateMigrationTool.text(out));
    }

    @Test
    void thousandsOfFindingsAreCutMostSevereFirstWhereShowSqlPagesOn() {
        List<String> statements = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            statements.add("create table seed_" + i + " (id int primary key)");
        }
        statements.add("alter table seed_1 drop column id");
        String sql = String.join(";\n", statements) + ";\n";
        CreateMigrationTool.Output out = written(sql);
        MigrationAnalysis analysis = ANALYZER.analyze(sql);
        assertTrue(ResultJson.length(out) <= Budget.usable(Budget.RESULT), "create_migration: " + ResultJson.length(out));
        int shown = out.findings().size();
        assertTrue(shown > 0 && shown < analysis.findings().size(), "cut: " + shown);
        assertEquals(new Truncated(shown, analysis.findings().size(),
                "show_sql {\"version\":\"9\",\"list\":\"findings\",\"offset\":" + shown + "}", "findings", null), out.truncated());
        List<Finding> order = ShowSqlPage.pagingOrder(List.of(new ShowSqlTool.Reviewed("9", "seed", PATH, "pending", true, 0,
                sql, analysis, null))).stream().map(f -> new Finding(f.rule(), f.severity(), f.statement(), f.line(), f.message(),
                f.hint(), f.allowedFrom(), f.allowedReason())).toList();
        assertEquals(order.subList(0, shown), out.findings(), "the first of show_sql's order, which goes on at the offset");
        assertEquals(Severity.CONFIRM, out.findings().get(0).severity());
        assertEquals(Map.of("confirm", 1, "info", analysis.findings().size() - 1), out.auditSummary().get("findings"),
                "the audit line counts every finding, shown or not");
        assertTrue(CreateMigrationTool.text(out).length() < 1_000);
    }

    @Test
    void aRefusalNamesTheFirstTenBlockedStatementsAndCountsTheRest() {
        List<Finding> blocked = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            blocked.add(new Finding("drop-database", Severity.BLOCK, i, i, "DROP DATABASE reaches another database. "
                    .repeat(20), "Remove it."));
        }
        String message = CreateMigrationTool.describe(blocked);
        assertTrue(message.startsWith("line 1 [drop-database] DROP DATABASE"), message);
        assertTrue(message.contains("line 10 [drop-database]") && !message.contains("line 11 ["), message);
        assertTrue(message.endsWith("; and 240 more"), message);
        assertTrue(message.length() < 5_000, "a message of " + message.length());
        assertEquals("line 3 [x] m", CreateMigrationTool.describe(List.of(new Finding("x", Severity.BLOCK, 1, 3, "m", "h"))));
    }
}
