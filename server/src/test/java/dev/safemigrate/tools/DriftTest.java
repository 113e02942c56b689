package dev.safemigrate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.safemigrate.db.CatalogStamp;
import dev.safemigrate.db.DatabaseIdentity;
import dev.safemigrate.db.HistoryDigest;
import dev.safemigrate.db.SchemaHistory;
import dev.safemigrate.db.SchemaState;

/** The comparison of the schema with its record, the names it gives and the cause it names: no database. */
class DriftTest {

    private static final DatabaseIdentity DEV = new DatabaseIdentity("localhost", 5432, "app_dev", "app", List.of(), true,
            "15.10", "public", "dev", null, true, List.of());
    private static final Instant THEN = Instant.parse("2026-12-08T10:00:00Z");
    private static final SchemaHistory WHERE = new SchemaHistory("public", SchemaHistory.FLYWAY, true, false);

    private static final Map<String, String> APPLIED = Map.of(
            "schema public", "",
            "table public.flyway_schema_history", "",
            "column public.flyway_schema_history.version", SchemaState.hash("character varying(50) null"),
            "table public.users", "",
            "column public.users.id", SchemaState.hash("bigint not null"),
            "column public.users.email", SchemaState.hash("text null"),
            "table public.old", "",
            "column public.old.id", SchemaState.hash("integer null"),
            "constraint public.old.old_pkey", SchemaState.hash("PRIMARY KEY (id)"));

    private static SchemaState state(Map<String, String> objects, long historyRows, String historyMd5,
                                     Map<String, Long> otherHistories) {
        return new SchemaState(new CatalogStamp("s" + objects.hashCode()), SchemaState.digest(objects), objects,
                new HistoryDigest(WHERE, historyRows, historyMd5), otherHistories);
    }

    private static SchemaRecord record(Map<String, Long> otherHistories) {
        return SchemaRecord.of(SchemaRecord.databaseOf(DEV, false), state(APPLIED, 3, "h3", otherHistories), THEN);
    }

    /** The applied schema after DDL typed into psql: a table created, one dropped, a column added, one retyped. */
    private static Map<String, String> changedByHand() {
        Map<String, String> now = new HashMap<>(APPLIED);
        now.keySet().removeIf(k -> k.contains("public.old"));
        now.put("table public.audit", "");
        now.put("column public.audit.id", SchemaState.hash("bigint not null"));
        now.put("constraint public.audit.audit_pkey", SchemaState.hash("PRIMARY KEY (id)"));
        now.put("index public.audit_pkey", SchemaState.hash("CREATE UNIQUE INDEX audit_pkey ON public.audit USING btree (id)"));
        now.put("column public.users.nick", SchemaState.hash("text null"));
        now.put("column public.users.email", SchemaState.hash("character varying(80) null"));
        return now;
    }

    @Test
    void namesWhatWasCreatedDroppedAndAlteredWithoutATablesOwnColumns() {
        Drift d = Drift.between(record(Map.of()), state(changedByHand(), 3, "h3", Map.of()));
        assertEquals(Drift.State.CHANGED, d.state());
        assertEquals(List.of("column public.users.nick", "index public.audit_pkey", "table public.audit"), d.created());
        assertEquals(List.of("table public.old"), d.dropped());
        assertEquals(List.of("column public.users.email"), d.altered());
        assertEquals(THEN, d.since());
        assertEquals(List.of("created column public.users.nick", "created index public.audit_pkey",
                "created table public.audit", "dropped table public.old", "altered column public.users.email"), d.entries());
        assertTrue(d.likelyCause().startsWith("DDL run outside safemigrate (psql, prisma db push"), d.likelyCause());
    }

    @Test
    void theSameObjectsAreNoDriftWhateverTheStamp() {
        SchemaRecord r = record(Map.of());
        // a GRANT or a TRUNCATE writes catalog rows: the stamp moves, no object does
        SchemaState same = new SchemaState(new CatalogStamp("other"), SchemaState.digest(APPLIED), APPLIED,
                new HistoryDigest(WHERE, 3, "h3"), Map.of());
        Drift d = Drift.between(r, same);
        assertEquals(Drift.State.NONE, d.state());
        assertEquals(List.of(), d.atRisk());
        assertEquals(List.of(), d.entries());
    }

    @Test
    void theRiskIsBoundToExactlyThisChange() {
        SchemaRecord r = record(Map.of());
        Drift byHand = Drift.between(r, state(changedByHand(), 3, "h3", Map.of()));
        Map<String, String> more = new HashMap<>(changedByHand());
        more.put("table public.more", "");
        Drift further = Drift.between(r, state(more, 3, "h3", Map.of()));
        List<AtRisk> risk = byHand.atRisk();
        assertEquals(1, risk.size());
        assertEquals("drift/" + r.digest() + "/" + SchemaState.digest(changedByHand()), risk.get(0).id());
        assertNotEquals(risk.get(0).id(), further.atRisk().get(0).id(), "a confirmation of one drift never covers another");
        assertEquals(byHand.atRisk(), Drift.between(r, state(changedByHand(), 3, "h3", Map.of())).atRisk(), "stable");
        assertNull(risk.get(0).migration());
        assertTrue(risk.get(0).what().startsWith("5 object(s) changed outside safemigrate since 2026-12-08T10:00:00Z: "
                + "created column public.users.nick, created index public.audit_pkey, created table public.audit and 2 more; "
                + "likely cause: DDL run outside safemigrate"), risk.get(0).what());
        assertEquals("", risk.get(0).where());
    }

    @Test
    void prismaMigrateIsNamedByItsNewHistoryRows() {
        SchemaRecord r = record(Map.of("public._prisma_migrations", 2L));
        Drift d = Drift.between(r, state(changedByHand(), 3, "h3", Map.of("public._prisma_migrations", 4L)));
        assertEquals("prisma migrate (deploy, dev or reset) (public._prisma_migrations has 2 new row(s))", d.likelyCause());
    }

    @Test
    void prismaMigrateIsNamedByItsHistoryTableAppearing() {
        Drift d = Drift.between(record(Map.of()), state(changedByHand(), 3, "h3", Map.of("public._prisma_migrations", 1L)));
        assertTrue(d.likelyCause().startsWith("prisma migrate") && d.likelyCause().contains("appeared"), d.likelyCause());
    }

    @Test
    void aPrismaProjectWithoutNewRowsPointsAtDbPush() {
        SchemaRecord r = record(Map.of("public._prisma_migrations", 2L));
        Drift d = Drift.between(r, state(changedByHand(), 3, "h3", Map.of("public._prisma_migrations", 2L)));
        assertTrue(d.likelyCause().startsWith("prisma db push or DDL run by hand (psql)"), d.likelyCause());
    }

    @Test
    void flywayRunElsewhereIsNamedByItsHistory() {
        Drift d = Drift.between(record(Map.of()), state(changedByHand(), 5, "h5", Map.of()));
        assertTrue(d.likelyCause().startsWith("Flyway run outside safemigrate") && d.likelyCause().contains("2 new row(s)"),
                d.likelyCause());
    }

    @Test
    void aDroppedHistoryIsAReset() {
        Map<String, String> reset = new HashMap<>(Map.of("schema public", ""));
        Drift d = Drift.between(record(Map.of()), state(reset, 0, "", Map.of()));
        assertEquals(List.of("table public.flyway_schema_history", "table public.old", "table public.users"), d.dropped());
        assertTrue(d.likelyCause().startsWith("the schema was dropped or reset outside safemigrate"), d.likelyCause());
    }

    @Test
    void manyNamesAreFittedAndTheRestPagedThroughStatus() {
        Map<String, String> now = new HashMap<>(APPLIED);
        for (int i = 0; i < 400; i++) {
            now.put("table public.generated_table_" + i, "");
        }
        Drift d = Drift.between(record(Map.of()), state(now, 3, "h3", Map.of()));
        Drift.Fitted fitted = d.fit(Drift.CHARS, null);
        assertTrue(ResultJson.length(fitted.view()) <= Drift.CHARS, ResultJson.length(fitted.view()) + " chars");
        assertEquals(400, fitted.view().counts().created());
        assertTrue(fitted.view().created().size() > 10 && fitted.view().created().size() < 400);
        assertEquals(d.created().subList(0, fitted.view().created().size()), fitted.view().created(), "the first names, in order");
        assertEquals(new Truncated(fitted.view().created().size(), 400, "status {\"list\":\"drift\"}", "drift", null), fitted.cut());
        Drift.Fitted small = Drift.between(record(Map.of()), state(changedByHand(), 3, "h3", Map.of())).fit(Drift.CHARS, null);
        assertNull(small.cut(), "a small drift is shown whole");
    }

    @Test
    void noRecordIsNoBaselineNotDrift() {
        Drift d = Drift.noBaseline(DriftWatch.NO_RECORD);
        assertEquals(List.of(), d.atRisk());
        Drift.View v = d.fit(Drift.CHARS, null).view();
        assertEquals(Drift.State.NO_BASELINE, v.state());
        assertNull(v.counts());
        assertTrue(v.note().startsWith("no baseline yet"), v.note());
    }

    @Test
    void theRecordRoundTripsThroughItsFile() throws Exception {
        SchemaRecord r = record(Map.of("public._prisma_migrations", 2L));
        String json = ResultJson.JSON.writeValueAsString(r);
        assertEquals(r, ResultJson.JSON.readValue(json, SchemaRecord.class));
        assertEquals("localhost:5432/app_dev", r.database());
        assertEquals("embedded/app_dev", SchemaRecord.databaseOf(DEV, true), "the embedded default moves port at each start");
    }
}
