package dev.safemigrate.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.safemigrate.analysis.MigrationAnalysis;
import dev.safemigrate.migrations.FlywayChecksum;
import dev.safemigrate.migrations.FlywayEngine;

/**
 * What a tool's first call in a process would otherwise pay for before doing its work: loading and
 * initialising the analysis (its rules, JSqlParser, Flyway's and pgjdbc's parsers), Flyway's
 * configuration and plugins, pgjdbc's driver and the JDK's digests. Done on made-up input while the
 * server waits for that call (see {@code IdleWarmup}): nothing here reads or writes the project's
 * files, connects to a database or keeps a result. The analysis is the project's own analyzer,
 * which holds no state between calls.
 */
public final class FirstCallWarmup {

    /**
     * A migration with the statements agents write most, in the forms that take each path of the
     * analysis: closed-grammar DDL read lexically, DML and views through JSqlParser, dollar-quoted
     * bodies, a constraint added NOT VALID then validated, changes to a table it did not create (which
     * most rules judge). {@code FirstCallWarmupTest} checks that it still reaches them.
     */
    public static final String SAMPLE = """
            create table warmup_customers (id bigint generated always as identity primary key, email text not null unique);
            create table warmup_orders (id bigint primary key, customer_id bigint not null references warmup_customers (id), \
            total numeric(12,2) not null default 0, status text check (status in ('new', 'paid')), \
            created_at timestamptz not null default now());
            create index warmup_orders_customer on warmup_orders (customer_id);
            create unique index if not exists warmup_orders_paid on warmup_orders (id) where status = 'paid';
            alter table warmup_orders add column note text;
            alter table warmup_orders alter column note set default '';
            alter table warmup_orders add constraint warmup_orders_total check (total >= 0) not valid;
            alter table warmup_orders validate constraint warmup_orders_total;
            comment on table warmup_orders is 'orders';
            insert into warmup_customers (email) values ('a@example.com'), ('b@example.com');
            update warmup_orders set note = 'checked' where id in (select id from warmup_orders where total > 100);
            delete from warmup_orders where status = 'new' and created_at < now() - interval '1 year';
            create view warmup_paid as select o.id, o.total, c.email from warmup_orders o join warmup_customers c on c.id = o.customer_id;
            create or replace function warmup_touch() returns trigger language plpgsql as $$
            begin
              new.created_at := now();
              return new;
            end $$;
            create trigger warmup_touch before update on warmup_orders for each row execute function warmup_touch();
            do $$ begin perform 1; end $$;
            create type warmup_mood as enum ('ok', 'sad');
            alter table warmup_orders rename column note to remark;
            drop index if exists warmup_orders_paid;
            create index warmup_accounts_plan on warmup_accounts (plan);
            alter table warmup_accounts add column region text not null default 'eu';
            alter table warmup_accounts alter column plan type varchar(20);
            update warmup_accounts set plan = 'free';
            alter table warmup_accounts drop column legacy;
            """;

    private final Project project;

    public FirstCallWarmup(Project project) {
        this.project = project;
    }

    /** Flyway's classes and plugins, as info and migrate configure it, without connecting; pgjdbc's driver. */
    public void loadFlyway() {
        FlywayEngine.loadWithoutConnecting();
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("pgjdbc is part of the jar", e);
        }
    }

    /** The classes only a database reaches, loaded by name (see first-call-classes.txt). */
    public void loadFirstCallClasses() {
        loadClasses(firstCallClasses());
    }

    /**
     * The analysis, its rules, JSqlParser, the boundary check's parsers, and the audit's digests, over {@link #SAMPLE}.
     *
     * @return the sample's analysis, for {@link #sampleAnswer}
     */
    public MigrationAnalysis analyse() {
        MigrationAnalysis analysis = project.analyzer().analyze(SAMPLE, project.devDatabaseName());
        digests(SAMPLE.getBytes(StandardCharsets.UTF_8));
        return analysis;
    }

    /**
     * What create_migration would answer for {@link #SAMPLE} (analysed by {@link #analyse}) with no
     * database, for the warm-up of the answer's mapping, validation and audit line; no file is written.
     */
    public ToolResult sampleAnswer(MigrationAnalysis analysis) {
        CreateMigrationTool.Output out = CreateMigrationTool.written("1", "db/migrations/V1__warmup.sql",
                FlywayChecksum.of(SAMPLE), analysis, null, null, AnalysisBasis.staticOnly("warm-up"));
        return ToolResult.ok(out, CreateMigrationTool.text(out));
    }

    /** The classes a first call loads that only a database reaches: see first-call-classes.txt. */
    static List<String> firstCallClasses() {
        try (InputStream in = FirstCallWarmup.class.getResourceAsStream("first-call-classes.txt")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** @return the names that could not be loaded */
    static List<String> loadClasses(List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                // loaded and linked, not initialised: no static initialiser runs before its code is called
                Class.forName(name, false, FirstCallWarmup.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The audit's SHA-256 of the SQL and HMAC of each line, with a throwaway key. */
    private static void digests(byte[] bytes) {
        try {
            MessageDigest.getInstance("SHA-256").digest(bytes);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are part of every JRE", e);
        }
    }
}
