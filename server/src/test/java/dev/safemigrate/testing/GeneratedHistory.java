package dev.safemigrate.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated migration history for the trace benchmark (bench/TraceBench.java) and the tests
 * that hold the dry run's targeted catalog reads to full ones: each migration a list of
 * statements, the schema growing the way a real project's does.
 */
public final class GeneratedHistory {

    private GeneratedHistory() {}

    /** The history as migration files V1__m1.sql … in {@code dir}, each statement ended by a semicolon. */
    public static List<List<String>> writeFiles(java.nio.file.Path dir, int count) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        List<List<String>> history = history(count);
        for (int m = 1; m <= count; m++) {
            java.nio.file.Files.writeString(dir.resolve("V" + m + "__m" + m + ".sql"),
                    String.join(";\n", history.get(m - 1)) + ";\n");
        }
        return history;
    }

    /**
     * A history shaped like a web application's: each migration is one of a handful of shapes,
     * cycling, so the catalog grows the way a real one does (tables referencing earlier tables,
     * their indexes, audit triggers, views, seeds, later column changes).
     */
    public static List<List<String>> history(int count) {
        List<List<String>> out = new ArrayList<>();
        int tables = 0;
        for (int m = 1; m <= count; m++) {
            List<String> s = new ArrayList<>();
            switch (m % 6) {
                case 1, 4 -> {
                    int t = ++tables;
                    String ref = t > 1 ? ", parent_id bigint references e" + (t - 1) + " (id)" : "";
                    s.add("create table e" + t + " (id bigint generated always as identity primary key, name text not null,"
                            + " status varchar(20) not null default 'new', amount numeric(12,2), created_at timestamptz not null"
                            + " default now(), updated_at timestamptz" + ref + ")");
                    s.add("create index e" + t + "_name on e" + t + " (name)");
                    s.add("create index e" + t + "_created on e" + t + " (created_at)");
                    if (t > 1) {
                        s.add("create index e" + t + "_parent on e" + t + " (parent_id)");
                    }
                    s.add("create unique index e" + t + "_name_status on e" + t + " (name, status)");
                    s.add("comment on table e" + t + " is 'entity " + t + "'");
                    s.add("insert into e" + t + " (name, amount) values ('a', 1.5), ('b', 2.5), ('c', 3.5)");
                }
                case 2 -> {
                    int t = Math.max(1, tables);
                    s.add("create or replace function e" + t + "_touch() returns trigger language plpgsql as $$ begin "
                            + "new.updated_at := now(); return new; end $$");
                    s.add("create trigger e" + t + "_touch before update on e" + t + " for each row execute function e" + t + "_touch()");
                    s.add("update e" + t + " set status = 'active' where name = 'a'");
                    s.add("insert into e" + t + " (name, amount) values ('d', 4.5)");
                    s.add("create or replace function e" + t + "_total(p_status text) returns numeric language sql stable as "
                            + "$$ select coalesce(sum(amount), 0) from e" + t + " where status = p_status $$");
                    s.add("select e" + t + "_total('new')");
                }
                case 3 -> {
                    int t = Math.max(1, tables);
                    s.add("alter table e" + t + " add column note text");
                    s.add("alter table e" + t + " add column flags int not null default 0");
                    s.add("alter table e" + t + " add constraint e" + t + "_amount_positive check (amount >= 0)");
                    s.add("create index e" + t + "_flags on e" + t + " (flags) where flags > 0");
                    s.add("update e" + t + " set flags = 1 where amount > 2");
                    s.add("insert into e" + t + " (name, amount, flags) values ('e', 5.5, 2), ('f', 6.5, 0)");
                    s.add("alter table e" + t + " alter column note set default ''");
                    s.add("delete from e" + t + " where name = 'f'");
                }
                case 5 -> {
                    int t = Math.max(1, tables);
                    s.add("create view e" + t + "_active as select id, name, amount from e" + t + " where status = 'active'");
                    s.add("create type e" + t + "_kind as enum ('small', 'large')");
                    s.add("alter table e" + t + " add column kind e" + t + "_kind");
                    s.add("update e" + t + " set kind = 'small' where amount < 3");
                    s.add("insert into e" + t + " (name, amount, kind) values ('g', 7.5, 'large')");
                    s.add("alter table e" + t + " add column legacy_code text");
                    s.add("alter table e" + t + " drop column legacy_code");
                    s.add("create index e" + t + "_kind on e" + t + " (kind)");
                }
                default -> {
                    int t = Math.max(1, tables);
                    s.add("create table e" + t + "_log (id bigserial primary key, entity_id bigint not null references e"
                            + t + " (id) on delete cascade, message text, at timestamptz default now())");
                    s.add("create index e" + t + "_log_entity on e" + t + "_log (entity_id)");
                    s.add("create or replace function e" + t + "_logged() returns trigger language plpgsql as $$ begin "
                            + "insert into e" + t + "_log (entity_id, message) values (new.id, 'changed'); return new; end $$");
                    s.add("create trigger e" + t + "_logged after insert or update on e" + t
                            + " for each row execute function e" + t + "_logged()");
                    s.add("insert into e" + t + " (name, amount) values ('h', 8.5), ('i', 9.5)");
                    s.add("update e" + t + " set amount = amount + 1 where name = 'h'");
                    s.add("alter table e" + t + " alter column amount set default 0");
                    s.add("analyze e" + t);
                }
            }
            out.add(s);
        }
        return out;
    }
}
