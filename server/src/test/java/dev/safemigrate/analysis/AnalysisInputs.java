package dev.safemigrate.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The migrations the differential tests of the analyzer's fast paths run over: every case of the
 * corpus, files assembled from the fragments where SQL readers part ways
 * ({@link BoundaryDifferentialTest}), and generated files shaped like real ones (INSERT-heavy, mixed
 * DDL on tables that exist and tables the file creates, code, locks, allow comments).
 */
final class AnalysisInputs {

    static final long SEED = 20261125L;

    private AnalysisInputs() {}

    static List<String> all() {
        List<String> out = new ArrayList<>();
        try {
            AnalysisCorpusTest.corpus().forEach(c -> out.add(c.sql()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 600; i++) {
            out.add(BoundaryDifferentialTest.generate(random));
        }
        for (int i = 0; i < 200; i++) {
            out.add(generatedMigration(random));
        }
        return out;
    }

    /** Tables the generated migrations use; the catalog tests give every one of them facts. */
    static final List<String> TABLES = List.of("users", "public.users", "orders", "accounts", "imports", "events");

    private static final String[] SHAPES = {
        "insert into %1$s (id, name) values (%2$d, 'n%2$d')",
        "insert into %1$s values (%2$d, 'it''s; -- no')",
        "insert into %1$s values (%2$d, pg_read_file('/etc/passwd'))",
        "insert into %1$s values (%2$d, my_func(%2$d))",
        "create table %1$s (id bigint primary key, name varchar(20), at timestamp)",
        "alter table %1$s add column c%2$d text not null",
        "alter table %1$s alter column name type varchar(40)",
        "alter table %1$s alter column name type text",
        "alter table %1$s alter column email type int using email::int",
        "alter table %1$s add constraint c%2$d check (name is not null) not valid",
        "alter table %1$s validate constraint c%2$d",
        "alter table %1$s alter column name set not null",
        "create index i%2$d on %1$s (name)",
        "create index concurrently i%2$d on %1$s (name)",
        "drop table %1$s",
        "truncate %1$s",
        "delete from %1$s",
        "update %1$s set name = 'x' where id = %2$d",
        "alter table %1$s rename column name to full_name",
        "alter table %1$s drop column name",
        "alter table %1$s add constraint fk%2$d foreign key (id) references users (id)",
        "create view v%2$d as select * from %1$s",
        "do $$ begin perform 1; end $$",
        "create function f%2$d() returns trigger language plpgsql as $$ begin return new; end $$",
        "-- safemigrate:allow drop-table the table is empty\ndrop table %1$s",
        "-- safemigrate:allow index-not-concurrent small table\ncreate index j%2$d on %1$s (name)",
        "lock table %1$s in access exclusive mode",
        "comment on table %1$s is 'x; y'",
        "select count(*) from %1$s where name like 'a%%'",
    };

    static String generatedMigration(Random random) {
        StringBuilder b = new StringBuilder();
        int statements = 1 + random.nextInt(12);
        for (int i = 0; i < statements; i++) {
            String table = TABLES.get(random.nextInt(TABLES.size()));
            b.append(String.format(SHAPES[random.nextInt(SHAPES.length)], table, i + 1)).append(";\n");
        }
        return b.toString();
    }
}
