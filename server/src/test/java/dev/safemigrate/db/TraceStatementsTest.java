package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The trace's statements are planned again once the schema has doubled (and grown by at least
 * {@link TraceStatements#LEAST_GROWTH} relations), so that a lookup planned as a scan of a tiny
 * catalog does not go on scanning it whole as the migrations fill it.
 */
class TraceStatementsTest {

    @Test
    void plansAgainOnlyWhenTheSchemaHasDoubledAndGrownByAtLeastAHundred() {
        for (int at = 0; at <= 1000; at++) {
            for (int now = at; now <= 3000; now++) {
                boolean expected = now - at >= 100 && now >= 2 * at;
                assertEquals(expected, TraceStatements.due(at, now), at + " → " + now);
            }
        }
    }

    @Test
    void aLookupPlannedOnASmallCatalogStopsScanningItOnceTheSchemaGrew() throws Exception {
        String db = TestDatabase.create("trace_statements");
        try (Connection c = new ConnectionSettings(TestDatabase.url(db), TestDatabase.APP_ROLE, null).open()) {
            c.setAutoCommit(false);
            // as the dry run's connection: pgjdbc keeps its server-side statements across DDL
            c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor().setFlushCacheOnDdl(false);
            try (Statement s = c.createStatement()) {
                // as the trace's reads run (TraceSettings): one generic plan per statement
                s.execute("set local plan_cache_mode = force_generic_plan");
                s.execute("create table t (" + columns(400) + ")");
            }
            TraceStatements statements = new TraceStatements(c);
            statements.schemaHas(1);
            String lookup = "select x.indisunique from pg_catalog.pg_index x where x.indexrelid operator(pg_catalog.=) ?::pg_catalog.oid";
            PreparedStatement first = statements.get(lookup);
            assertSame(first, statements.get(lookup), "prepared once per plan");
            for (int i = 0; i < 10; i++) {   // past pgjdbc's prepareThreshold: a server-side statement, planned now
                lookUp(first);
            }
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 400; i++) {
                    s.execute("create index t_" + i + " on t (c" + i + ")");
                }
            }
            long scans = seqScans(c);
            lookUp(first);
            assertEquals(scans + 1, seqScans(c), "the plan made for the small catalog scans pg_index whole");

            statements.schemaHas(50);
            assertSame(first, statements.get(lookup), "50 relations more: not planned again");
            statements.schemaHas(401);
            assertEquals(1, statements.plans());
            PreparedStatement again = statements.get(lookup);
            assertNotSame(first, again);
            for (int i = 0; i < 10; i++) {
                lookUp(again);
            }
            scans = seqScans(c);
            lookUp(again);
            assertEquals(scans, seqScans(c), "planned again, the lookup goes by pg_index's index");
            assertTrue(serverStatements(c).stream().anyMatch(t -> t.contains("planned again: 1")),
                    "a new server-side statement, not pgjdbc's cached one: " + serverStatements(c));
            assertTrue(first.isClosed(), "the old statement is closed");
            assertFalse(again.isClosed());
        }
    }

    private static String columns(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append("c").append(i).append(" int");
        }
        return sb.toString();
    }

    private static void lookUp(PreparedStatement s) throws SQLException {
        s.setString(1, "1");
        try (ResultSet rs = s.executeQuery()) {
            assertFalse(rs.next());
        }
    }

    private static long seqScans(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select pg_catalog.pg_stat_get_xact_numscans('pg_catalog.pg_index'::pg_catalog.regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static java.util.List<String> serverStatements(Connection c) throws SQLException {
        java.util.List<String> texts = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select statement from pg_catalog.pg_prepared_statements")) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
        }
        return texts;
    }
}
