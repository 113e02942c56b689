import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.safemigrate.db.ConnectionSettings;
import dev.safemigrate.db.DryRunResult;
import dev.safemigrate.db.DryRunTracer;
import dev.safemigrate.db.ScriptToRun;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * (d) What the traced dry run costs per statement as the schema grows. A generated history shaped
 * like a real project's (240 migrations, ~1,800 statements: tables with foreign keys, indexes,
 * functions, triggers, views, column changes, small inserts) is traced on a fresh database over
 * its first 60 migrations and over all 240, and its last 60 are traced on top of the first 180
 * applied; each beside plain execution of the same statements in a transaction that is rolled
 * back, alternating, in the same run. Not a test; run with bench/run-trace-bench.sh.
 */
public class TraceBench {

    static final String ROLE = "sm_app";
    static EmbeddedPostgres pg;
    static int databases;

    public static void main(String[] args) throws Exception {
        int n = Math.max(3, args.length > 0 ? Integer.parseInt(args[0]) : 5);
        List<List<String>> history = history(240);
        int total = history.stream().mapToInt(List::size).sum();
        System.out.printf("(history: %d migrations, %d statements)%n%n", history.size(), total);
        System.out.println("| row | engine | runs | min ms/stmt | median ms/stmt | max ms/stmt | median vs plain |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            pg = server;
            try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", null); Statement s = c.createStatement()) {
                s.execute("create role " + ROLE + " login");
            }
            measure(n, "(d) first 60 migrations, empty database", history.subList(0, 0), history.subList(0, 60));
            measure(n, "(d) all 240 migrations, empty database", history.subList(0, 0), history);
            measure(n, "(d) last 60 migrations over 180 applied", history.subList(0, 180), history.subList(180, 240));
        }
    }

    static void measure(int n, String row, List<List<String>> applied, List<List<String>> traced) throws Exception {
        int statements = traced.stream().mapToInt(List::size).sum();
        List<Double> plain = new ArrayList<>(), tracedMs = new ArrayList<>();
        String db = database(applied);
        for (int i = 0; i <= n; i++) {
            double p = plain(db, traced) / statements;
            double t = traced(db, traced) / statements;
            if (i > 0) { // one warm-up pair
                plain.add(p);
                tracedMs.add(t);
            }
        }
        report(row, "plain, rolled back", plain, null);
        report(row, "traced dry run", tracedMs, plain);
    }

    /** A fresh database owned by the least-privileged role, with these migrations committed. */
    static String database(List<List<String>> applied) throws SQLException {
        String db = "trace_" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", null); Statement s = c.createStatement()) {
            s.execute("create database " + db + " owner " + ROLE);
        }
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null); Statement s = c.createStatement()) {
            for (List<String> m : applied) {
                for (String sql : m) {
                    s.execute(sql);
                }
            }
        }
        return db;
    }

    static double plain(String db, List<List<String>> migrations) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(db), ROLE, null)) {
            long t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (List<String> m : migrations) {
                    for (String sql : m) {
                        s.execute(sql);
                    }
                }
            } finally {
                c.rollback();
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    static double traced(String db, List<List<String>> migrations) throws SQLException {
        List<ScriptToRun> scripts = new ArrayList<>();
        int statements = 0;
        for (int m = 0; m < migrations.size(); m++) {
            List<ScriptToRun.Step> steps = new ArrayList<>();
            for (String sql : migrations.get(m)) {
                steps.add(new ScriptToRun.Step(steps.size() + 1, steps.size() + 1, sql, true, null));
            }
            statements += steps.size();
            scripts.add(new ScriptToRun(String.valueOf(m + 1), "V" + (m + 1) + "__m.sql", steps));
        }
        long t0 = System.nanoTime();
        DryRunResult r = DryRunTracer.run(new ConnectionSettings(url(db), ROLE, null), scripts, Duration.ofSeconds(5),
                Duration.ofMinutes(10));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.success() || r.statementsExecuted() != statements) {
            throw new IllegalStateException("the traced run failed: " + r.failure());
        }
        return ms;
    }

    /**
     * A history shaped like a web application's: each migration is one of a handful of shapes,
     * cycling, so the catalog grows the way a real one does (tables referencing earlier tables,
     * their indexes, audit triggers, views, seeds, later column changes).
     */
    static List<List<String>> history(int count) {
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

    static String url(String db) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + db;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    static void report(String row, String engine, List<Double> xs, List<Double> baseline) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        String ratio = baseline == null ? "—" : String.format("%.2fx", median(xs) / median(baseline));
        System.out.printf("| %s | %s | %d | %.2f | %.2f | %.2f | %s |%n", row, engine, s.size(), s.get(0), median(s),
                s.get(s.size() - 1), ratio);
    }
}
