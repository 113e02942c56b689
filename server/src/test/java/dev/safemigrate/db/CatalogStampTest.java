package dev.safemigrate.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.safemigrate.testing.TestDatabase;

/**
 * The stamp is what lets status skip reading the objects: it must move whenever an object's key or
 * state does (else drift would go unseen), and should not move for data (else every status after
 * an insert would read the whole catalog).
 */
class CatalogStampTest {

    private static final List<String> SCHEMA_CHANGES = List.of(
            "create table t2 (id int)",
            "alter table t add column extra text",
            "alter table t drop column extra",
            "alter table t alter column note type varchar(80)",
            "alter table t alter column note set not null",
            "alter table t alter column note set default 'x'",
            "alter table t alter column note drop default",
            "alter table t rename column note to remark",
            "alter table t2 rename to t3",
            "alter table t add constraint positive check (id > 0) not valid",
            "alter table t validate constraint positive",
            "alter table t rename constraint positive to pos",
            "create index t_remark on t (remark)",
            "alter index t_remark rename to t_remark2",
            "drop index t_remark2",
            "create index concurrently t_id2 on t (id)",
            "create view v as select id from t",
            "create or replace view v as select id, remark from t",
            "create function f() returns int language sql as 'select 1'",
            "create or replace function f() returns int language sql as 'select 2'",
            "create type mood as enum ('sad', 'ok')",
            "alter type mood add value 'happy'",
            "alter type mood rename value 'ok' to 'fine'",
            "create domain posint as int check (value > 0)",
            "create schema billing",
            "alter table t3 set schema billing",
            "alter schema billing rename to invoicing",
            "create sequence s",
            "create table child (id int references t (id))",
            "drop table child",
            "drop view v",
            "drop schema invoicing cascade");

    private static final List<String> DATA_CHANGES = List.of(
            "insert into t select g, 'n' || g from generate_series(1, 100) g",
            "update t set remark = 'y' where id < 50",
            "delete from t where id > 90",
            "analyze t",
            "vacuum t",
            "select nextval('s')");

    @Test
    void everySchemaChangeMovesTheStampAndDataDoesNot() throws Exception {
        String db = TestDatabase.create("stamp");
        TestDatabase.execute(db, "create table t (id int primary key, note text)");
        try (Connection c = TestDatabase.connect(db)) {
            pin(c);
            SchemaHistory where = SchemaHistory.locate(c, List.of("public"), SchemaHistory.FLYWAY);
            SchemaState before = SchemaState.read(c, where);
            for (String ddl : SCHEMA_CHANGES) {
                TestDatabase.execute(db, ddl);
                SchemaState after = SchemaState.read(c, where);
                assertNotEquals(before.digest(), after.digest(), "the objects show it: " + ddl);
                assertNotEquals(before.stamp(), after.stamp(), "the stamp moves with them: " + ddl);
                assertEquals(after.stamp(), CatalogStamp.read(c), "read alone as in the snapshot");
                before = after;
            }
            for (String dml : DATA_CHANGES) {
                TestDatabase.execute(db, dml);
                SchemaState after = SchemaState.read(c, where);
                assertEquals(before.digest(), after.digest(), dml);
                assertEquals(before.stamp(), after.stamp(), "data is not schema: " + dml);
            }
            // a catalog write that changes no object: the stamp says look, the objects say nothing changed
            TestDatabase.execute(db, "truncate t");
            SchemaState truncated = SchemaState.read(c, where);
            assertEquals(before.digest(), truncated.digest());
        }
    }

    private static void pin(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set search_path = pg_catalog");
        }
    }
}
