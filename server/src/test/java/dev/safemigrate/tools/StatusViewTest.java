package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.SchemaCatalog;
import dev.safemigrate.mcp.ResultMapper;
import dev.safemigrate.mcp.ToolSchemas;
import dev.safemigrate.migrations.MigrationState;

/** The overview and the pages of status, fitted without a database: sizes, order, cuts and every item reachable. */
class StatusViewTest {

    private static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    static final DatabaseIdentity DEV = new DatabaseIdentity("localhost", 5432, "app_dev", "app", List.of(), true,
            "15.10", "public", "dev", "127.0.0.1", true, List.of());
    static final PolicySummary POLICY = new PolicySummary(List.of("localhost"), List.of("prod"), null, "confirm",
            "destructive", "5s", "60s", false, "/work/app/safemigrate.toml");

    static final StatusTool.Trust TRUSTED = new StatusTool.Trust("trusted", null, null, "2026-11-25T09:00:00Z", "alice",
            null);

    static StatusTool.Migration migration(int version, MigrationState state) {
        boolean ran = state == MigrationState.APPLIED || state == MigrationState.FAILED;
        return new StatusTool.Migration(String.valueOf(version), "create table number " + version, "SQL", state,
                -1_234_567_890 + version, ran ? Instant.parse("2026-11-25T10:00:00.123Z").plusSeconds(version) : null,
                ran ? 12 : null);
    }

    static List<StatusTool.Migration> migrations(int applied, int pending) {
        List<StatusTool.Migration> out = new ArrayList<>();
        IntStream.rangeClosed(1, applied).forEach(v -> out.add(migration(v, MigrationState.APPLIED)));
        IntStream.rangeClosed(applied + 1, applied + pending).forEach(v -> out.add(migration(v, MigrationState.PENDING)));
        return out;
    }

    static StatusTool.Facts facts(List<StatusTool.Migration> migrations, List<String> problems,
                                  List<SchemaCatalog.SchemaSummary> schemas) {
        return new StatusTool.Facts(TRUSTED, DEV, "db/migrations", migrations, problems, schemas, null, POLICY, null);
    }

    static List<SchemaCatalog.SchemaSummary> schemas(int n) {
        return IntStream.range(0, n).mapToObj(i -> new SchemaCatalog.SchemaSummary("tenant_" + i, i % 7, i % 3, false))
                .toList();
    }

    private static void assertConforms(Object result) {
        var valid = VALIDATOR.validate(ToolSchemas.output("status"), ResultMapper.structured(result));
        assertTrue(valid.valid(), valid.errorMessage());
    }

    private static int length(Object result) {
        return ResultJson.length(result);
    }

    @Test
    void aLongAppliedHistoryIsACountAndTheLastFiveApplied() {
        StatusTool.Output out = StatusView.overview(facts(migrations(247, 0), List.of(),
                List.of(new SchemaCatalog.SchemaSummary("public", 120, 40, true))));
        assertConforms(out);
        assertTrue(length(out) <= Budget.RESULT, "chars: " + length(out));
        assertEquals(247, out.summary().applied());
        assertEquals(List.of("243", "244", "245", "246", "247"), out.migrations().stream().map(StatusTool.Migration::version).toList());
        assertEquals(new Truncated(5, 247, "status {\"list\":\"migrations\"}", "migrations", null), out.truncated());
        assertTrue(out.next().startsWith("Up to date."), out.next());
        String json = ResultJson.JSON.writeValueAsString(out);
        assertTrue(json.startsWith("{\"next\":"), json);
        assertTrue(json.indexOf("\"summary\":") < json.indexOf("\"truncated\":")
                && json.indexOf("\"truncated\":") < json.indexOf("\"database\":")
                && json.indexOf("\"database\":") < json.indexOf("\"migrations\":["), json);
    }

    @Test
    void aShortHistoryIsShownWholeWithNothingTruncated() {
        StatusTool.Output out = StatusView.overview(facts(migrations(3, 1), List.of(), schemas(2)));
        assertEquals(4, out.migrations().size());
        assertNull(out.truncated());
        assertEquals("show_sql {} then apply_to_dev {\"dry_run\":true}", out.next());
    }

    @Test
    void pendingMigrationsThatDoNotFitAreCutAndTheCallShowsTheFirstLeftOut() {
        List<StatusTool.Migration> all = migrations(10, 300);
        StatusTool.Output out = StatusView.overview(facts(all, List.of(), schemas(1)));
        assertConforms(out);
        assertTrue(length(out) <= Budget.RESULT, "chars: " + length(out));
        assertEquals(300, out.summary().pending());
        long pendingShown = out.migrations().stream().filter(m -> m.state() == MigrationState.PENDING).count();
        assertTrue(pendingShown >= 20 && pendingShown < 300, "pending shown: " + pendingShown);
        assertEquals(List.of("6", "7", "8", "9", "10"), out.migrations().stream()
                .filter(m -> m.state() == MigrationState.APPLIED).map(StatusTool.Migration::version).toList());
        assertEquals("status {\"list\":\"migrations\",\"offset\":" + (10 + pendingShown) + "}", out.truncated().how());
        assertEquals(out.migrations().size(), out.truncated().shown());
        assertEquals(310, out.truncated().total());
    }

    @Test
    void everyListCutIsNamedOnceAndEachGetsSomeRoom() {
        List<String> problems = IntStream.range(0, 200).mapToObj(i -> "Migration checksum mismatch for migration version " + i
                + " -> Applied to database : 1234567, Resolved locally : 7654321. Either revert the changes to the migration, "
                + "or run repair to update the schema history.").toList();
        StatusTool.Output out = StatusView.overview(facts(migrations(100, 150), problems, schemas(3_000)));
        assertConforms(out);
        assertTrue(length(out) <= Budget.RESULT, "chars: " + length(out));
        Truncated t = out.truncated();
        assertEquals("migrations", t.of());
        assertEquals(List.of("validation.problems", "schemas"), t.also().stream().map(Truncated::of).toList());
        assertEquals("status {\"list\":\"problems\",\"offset\":" + out.validation().problems().size() + "}", t.also().get(0).how());
        assertEquals("status {\"list\":\"schemas\",\"offset\":" + out.schemas().size() + "}", t.also().get(1).how());
        assertFalse(out.validation().valid());
        assertTrue(out.validation().problems().size() >= 3, "problems shown: " + out.validation().problems().size());
        assertTrue(out.schemas().size() >= 3, "schemas shown: " + out.schemas().size());
        assertTrue(out.migrations().stream().anyMatch(m -> m.state() == MigrationState.PENDING));
        assertTrue(out.next().startsWith("Show validation.problems"), out.next());
        String text = StatusView.text(out);
        assertTrue(text.length() < 1_000, text.length() + ": " + text);
        assertTrue(text.contains("200 problems") && text.contains("Schemas: 3000"), text);
    }

    @Test
    void schemasInSearchPathComeFirstThenTheLargest() {
        List<SchemaCatalog.SchemaSummary> schemas = List.of(new SchemaCatalog.SchemaSummary("audit", 3, 0, false),
                new SchemaCatalog.SchemaSummary("big", 90, 0, false), new SchemaCatalog.SchemaSummary("public", 1, 0, true),
                new SchemaCatalog.SchemaSummary("app", 5, 0, true));
        StatusTool.Output out = StatusView.overview(facts(migrations(1, 0), List.of(), schemas));
        assertEquals(List.of("app", "public", "big", "audit"), out.schemas().stream().map(SchemaCatalog.SchemaSummary::name).toList());
    }

    @Test
    void settingsNoPersonApprovedComeFirstInNextAndTheResultStaysSmall() {
        StatusTool.Trust changed = new StatusTool.Trust("changed", java.util.List.copyOf(dev.safemigrate.config.PolicySettings.ORDER),
                "the file was edited after this server started", "2026-11-25T09:00:00Z", "alice",
                "safemigrate trust --config /work/app/safemigrate.toml");
        StatusTool.Output out = StatusView.overview(new StatusTool.Facts(changed, DEV, "db/migrations", migrations(240, 5),
                List.of(), schemas(400), null, POLICY, null));
        assertConforms(out);
        assertTrue(length(out) <= Budget.RESULT, "chars: " + length(out));
        assertTrue(out.next().startsWith("apply_to_dev and backup refuse (CONFIG_NOT_TRUSTED)"), out.next());
        assertTrue(out.next().contains("safemigrate trust --config /work/app/safemigrate.toml"), out.next());
        assertEquals(changed, out.trust(), "every setting name fits: the trust block is never cut");
        assertTrue(StatusView.text(out).contains("Settings NOT approved (changed: migrations.dir, dev.embedded"),
                StatusView.text(out));
        assertTrue(StatusView.overview(facts(migrations(1, 2), List.of(), List.of())).next().startsWith("show_sql"),
                "trusted settings leave next as it was");
    }

    @Test
    void aDatabaseNotVerifiedComesBeforeEverythingElseInNext() {
        DatabaseIdentity prod = new DatabaseIdentity("db.example.com", 5432, "shop", "app", List.of(), true, "15.10",
                "public", "production", null, false, List.of("database 'shop' is marked safemigrate.environment = 'production'"));
        StatusTool.Output out = StatusView.overview(new StatusTool.Facts(TRUSTED, prod, "db/migrations", migrations(1, 2),
                List.of("a problem"), List.of(), null, POLICY, null));
        assertTrue(out.next().startsWith("Not the development database"), out.next());
        assertTrue(StatusView.text(out).contains("NOT writable: database 'shop' is marked"), StatusView.text(out));
    }

    @Test
    void pagingShowsEveryMigrationOnceInVersionOrder() throws ToolException {
        List<StatusTool.Migration> all = migrations(240, 7);
        StatusTool.Facts f = facts(all, List.of(), schemas(1));
        for (Integer limit : new Integer[] {null, 200, 17}) {
            List<String> seen = pageAll(f, StatusTool.ListName.MIGRATIONS, limit, StatusTool.ListPage::migrations)
                    .stream().map(StatusTool.Migration::version).toList();
            assertEquals(all.stream().map(StatusTool.Migration::version).toList(), seen, "limit " + limit);
        }
    }

    @Test
    void pagingShowsEveryProblemAndSchemaOnce() throws ToolException {
        List<String> problems = IntStream.range(0, 90).mapToObj(i -> "problem " + i + " " + "x".repeat(i * 20)).toList();
        StatusTool.Facts f = facts(migrations(1, 0), problems, schemas(1_000));
        assertEquals(problems, pageAll(f, StatusTool.ListName.PROBLEMS, null, StatusTool.ListPage::problems));
        assertEquals(f.schemas().stream().sorted(StatusView.SCHEMA_ORDER).toList(),
                pageAll(f, StatusTool.ListName.SCHEMAS, 200, StatusTool.ListPage::schemas));
    }

    @Test
    void aProblemLongerThanAPageIsCutToItsHeadSoPagingGoesOn() throws ToolException {
        List<String> problems = List.of("Flyway could not read the migrations: " + "y".repeat(50_000), "second");
        StatusTool.Facts f = facts(migrations(1, 0), problems, List.of());
        List<String> seen = pageAll(f, StatusTool.ListName.PROBLEMS, null, StatusTool.ListPage::problems);
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).length() < StatusView.PROBLEM + 40 && seen.get(0).endsWith("more characters)"), seen.get(0));
        assertTrue(length(StatusView.overview(f)) <= Budget.RESULT);
    }

    @Test
    void aPageBeyondTheEndIsEmptyAndSaysNoMore() throws ToolException {
        StatusTool.ListPage p = StatusView.page(facts(migrations(3, 0), List.of(), List.of()), StatusTool.ListName.MIGRATIONS,
                Page.of(10, null, StatusView.PAGE));
        assertEquals(List.of(), p.migrations());
        assertEquals(3, p.total());
        assertNull(p.truncated());
        assertConforms(p);
    }

    /** Every page from offset 0 as truncated.how says, each within its budget and valid against the schema. */
    static <T> List<T> pageAll(StatusTool.Facts f, StatusTool.ListName list, Integer limit,
                               Function<StatusTool.ListPage, List<T>> items) throws ToolException {
        List<T> seen = new ArrayList<>();
        int offset = 0;
        for (int pages = 0; pages < 1_000; pages++) {
            StatusTool.ListPage p = StatusView.page(f, list, Page.of(offset, limit, StatusView.PAGE));
            assertConforms(p);
            assertTrue(length(p) <= (limit == null ? Budget.RESULT : Budget.CEILING), "chars: " + length(p));
            assertEquals(offset, p.offset());
            seen.addAll(items.apply(p));
            if (p.truncated() == null) {
                return seen;
            }
            int next = offset + items.apply(p).size();
            Map<String, Object> call = ResultJson.JSON.readValue(p.truncated().how().substring("status ".length()), Map.class);
            assertEquals(list.id(), call.get("list"));
            assertEquals(next, call.get("offset"));
            assertEquals(limit, call.get("limit"));
            offset = next;
        }
        throw new AssertionError("paging did not end");
    }
}
