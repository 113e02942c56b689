-- Labelled cases from squawk's own rule tests (github.com/sbdchd/squawk, crates/squawk_linter/src/rules/*.rs,
-- commit 5125ddf5ad42c85e6ed90173ff084e9866daeb85): the SQL of each test, and whether squawk's test expects
-- its rule to report it (ERR) or not (OK). Selected: the tests of rules safemigrate also has, without
-- squawk settings other than a PostgreSQL version that behaves as 15 does.
--
-- The SQL below is copied from squawk, which is dual-licensed MIT or Apache-2.0; under the MIT licence:
--
-- Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
-- associated documentation files (the "Software"), to deal in the Software without restriction,
-- including without limitation the rights to use, copy, modify, merge, publish, distribute,
-- sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
-- furnished to do so, subject to the following conditions:
--
-- The above copyright notice and this permission notice shall be included in all copies or
-- substantial portions of the Software.
--
-- THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
-- NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
-- NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
-- OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
-- CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
--
-- Format: a line "=== <squawk rule>::<squawk test> ERR|OK", then the test's SQL up to the next "===".
=== adding_field_with_default::docs_example_ok_post_pg_11 OK
-- instead of
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;
=== adding_field_with_default::docs_example_ok OK
-- use
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET DEFAULT 10;
-- backfill
-- remove nullability
=== adding_field_with_default::default_uuid_error_multi_stmt ERR
alter table t set logged, add column c integer default uuid();
=== adding_field_with_default::default_uuid_error ERR
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT uuid();
=== adding_field_with_default::default_volatile_func_err ERR
    -- VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" boolean DEFAULT random();
=== adding_field_with_default::default_bool_ok OK
    -- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" boolean DEFAULT true;
=== adding_field_with_default::default_empty_array_ok OK
alter table t add column a double precision[] default array[]::double precision[];
alter table t add column b bigint[] default cast(array[] as bigint[]);
alter table t add column c text[] default array['foo', 'bar']::text[];
=== adding_field_with_default::default_with_const_bin_expr OK
ALTER TABLE assessments
ADD COLUMN statistics_last_updated_at timestamptz NOT NULL DEFAULT now() - interval '100 years';
=== adding_field_with_default::default_str_ok OK
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" text DEFAULT 'some-str';
=== adding_field_with_default::default_enum_ok OK
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" some_enum_type DEFAULT 'my-enum-variant';
=== adding_field_with_default::default_jsonb_ok OK
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" jsonb DEFAULT '{}'::jsonb;
=== adding_field_with_default::arbitrary_func_err ERR
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" jsonb DEFAULT myjsonb();
=== adding_field_with_default::default_random_with_args_err ERR
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" timestamptz DEFAULT now(123);
=== adding_field_with_default::default_func_now_ok OK
-- NON-VOLATILE
ALTER TABLE "core_recipe" ADD COLUMN "foo" timestamptz DEFAULT now();
=== adding_field_with_default::default_func_current_timestamp_ok OK
alter table t add column c timestamptz default current_timestamp;
=== adding_field_with_default::add_numbers_ok OK
alter table account_metadata add column blah integer default 2 + 2;
=== adding_field_with_default::generated_stored_err ERR
ALTER TABLE foo
ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED;
=== disallow_unique_constraint::adding_unique_constraint_err ERR
ALTER TABLE table_name ADD CONSTRAINT field_name_constraint UNIQUE (field_name);
=== disallow_unique_constraint::ok OK
ALTER TABLE table_name DROP CONSTRAINT field_name_constraint;
=== disallow_unique_constraint::also_ok OK
CREATE UNIQUE INDEX CONCURRENTLY dist_id_temp_idx ON distributors (dist_id);
ALTER TABLE distributors DROP CONSTRAINT distributors_pkey,
ADD CONSTRAINT distributors_pkey PRIMARY KEY USING INDEX dist_id_temp_idx;
=== disallow_unique_constraint::unique_constraint_ok OK
CREATE UNIQUE INDEX CONCURRENTLY "legacy_questiongrouppg_mongo_id_1f8f47d9_uniq_idx"
    ON "legacy_questiongrouppg" ("mongo_id");
ALTER TABLE "legacy_questiongrouppg" ADD CONSTRAINT "legacy_questiongrouppg_mongo_id_1f8f47d9_uniq" UNIQUE USING INDEX "legacy_questiongrouppg_mongo_id_1f8f47d9_uniq_idx";
=== disallow_unique_constraint::unique_constraint_after_create_table OK
BEGIN;
CREATE TABLE products (
    id bigint generated by default as identity primary key,
    sku text not null
);
ALTER TABLE products ADD CONSTRAINT sku_constraint UNIQUE (sku);
COMMIT;
=== disallow_unique_constraint::unique_constraint_inline_add_column_err ERR
ALTER TABLE foo ADD COLUMN bar text CONSTRAINT foo_bar_unique UNIQUE;
=== disallow_unique_constraint::unique_constraint_inline_add_column_unique_err ERR
ALTER TABLE foo ADD COLUMN bar text UNIQUE;
=== require_concurrent_index_deletion::drop_index_missing_concurrently_err ERR
  -- instead of
  DROP INDEX IF EXISTS "field_name_idx";
=== require_concurrent_index_deletion::drop_index_concurrently_ok OK
DROP INDEX CONCURRENTLY IF EXISTS "field_name_idx";
=== require_concurrent_index_deletion::regression_false_positive_drop_table_ok OK
DROP TABLE IF EXISTS some_table;
=== require_concurrent_index_deletion::regression_false_positive_drop_trigger_ok OK
DROP TRIGGER IF EXISTS trigger on foo_table;
=== changing_column_type::err ERR
BEGIN;
--
-- Alter field edits on recipe
--
ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text USING "edits"::text;
COMMIT;
=== changing_column_type::another_err ERR
BEGIN;
--
-- Alter field foo on recipe
--
ALTER TABLE "core_recipe" ALTER COLUMN "foo" TYPE varchar(255) USING "foo"::varchar(255);
ALTER TABLE "core_recipe" ALTER COLUMN "foo" TYPE text USING "foo"::text;
COMMIT;
=== require_concurrent_partition_detach::detach_partition_missing_concurrently_err ERR
ALTER TABLE t DETACH PARTITION p;
=== require_concurrent_partition_detach::detach_partition_concurrently_ok OK
ALTER TABLE t DETACH PARTITION p CONCURRENTLY;
=== require_concurrent_partition_detach::detach_partition_finalize_ok OK
ALTER TABLE t DETACH PARTITION p FINALIZE;
=== require_concurrent_reindex::reindex_table_no_concurrently_err ERR
REINDEX TABLE foo;
=== require_concurrent_reindex::reindex_index_no_concurrently_err ERR
REINDEX INDEX foo;
=== require_concurrent_reindex::reindex_schema_no_concurrently_err ERR
REINDEX SCHEMA foo;
=== require_concurrent_reindex::reindex_table_concurrently_ok OK
REINDEX TABLE CONCURRENTLY foo;
=== require_concurrent_reindex::reindex_index_concurrently_ok OK
REINDEX INDEX CONCURRENTLY foo;
=== require_concurrent_reindex::reindex_options_concurrently_ok OK
REINDEX (CONCURRENTLY) TABLE foo;
=== require_concurrent_index_creation::adding_index_non_concurrently_err ERR
-- instead of
CREATE INDEX "field_name_idx" ON "table_name" ("field_name");
=== require_concurrent_index_creation::adding_index_concurrently_ok OK
-- use CONCURRENTLY
CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
=== require_concurrent_index_creation::new_table_ok OK
BEGIN;
CREATE TABLE "core_foo" (
"id" serial NOT NULL PRIMARY KEY,
"tenant_id" integer NULL
);
CREATE INDEX "core_foo_tenant_id_4d397ef9" ON "core_foo" ("tenant_id");
COMMIT;
=== adding_not_null_field::set_not_null ERR
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
=== adding_not_null_field::adding_field_that_is_not_nullable OK
BEGIN;
-- This will cause a table rewrite for Postgres versions before 11, but that is handled by
-- adding-field-with-default.
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10 NOT NULL;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" DROP DEFAULT;
COMMIT;
=== adding_not_null_field::adding_field_that_is_not_nullable_without_default OK
-- This won't work if the table is populated, but that error is caught by adding-required-field.
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer NOT NULL;
=== adding_not_null_field::adding_field_that_is_not_nullable_in_version_11 OK
BEGIN;
--
-- Add field foo to recipe
--
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer NOT NULL DEFAULT 10;
COMMIT;
=== adding_not_null_field::regression_gh_issue_519 ERR
BEGIN;
-- Running upgrade a -> b
ALTER TABLE my_table ALTER COLUMN my_column SET NOT NULL;
UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';
COMMIT;
=== adding_not_null_field::regression_gh_issue_628_pg12_with_validated_check_ok OK
BEGIN;
ALTER TABLE foo ADD COLUMN bar BIGINT;
ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID;
COMMIT;

BEGIN;
ALTER TABLE foo VALIDATE CONSTRAINT bar_not_null;
ALTER TABLE foo ALTER COLUMN bar SET NOT NULL;
ALTER TABLE foo DROP CONSTRAINT bar_not_null;
COMMIT;
=== adding_not_null_field::pg12_without_validated_check_err ERR
ALTER TABLE foo ALTER COLUMN bar SET NOT NULL;
=== adding_not_null_field::pg12_with_check_but_not_validated_err ERR
ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID;
ALTER TABLE foo ALTER COLUMN bar SET NOT NULL;
=== adding_not_null_field::pg12_with_different_column_validated_err ERR
ALTER TABLE foo ADD CONSTRAINT baz_not_null CHECK (baz IS NOT NULL) NOT VALID;
ALTER TABLE foo VALIDATE CONSTRAINT baz_not_null;
ALTER TABLE foo ALTER COLUMN bar SET NOT NULL;
=== adding_required_field::nullable_ok OK
ALTER TABLE "recipe" ADD COLUMN "public" boolean;
=== adding_required_field::not_null_with_default OK
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL DEFAULT true;
=== adding_required_field::not_null_without_default ERR
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL;
=== adding_required_field::generated_stored_not_null_ok OK
ALTER TABLE foo
    ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED NOT NULL;
=== adding_required_field::generated_stored_ok OK
ALTER TABLE foo
    ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED ;
=== adding_primary_key_constraint::serial_primary_key ERR
ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;
=== adding_primary_key_constraint::plain_primary_key ERR
ALTER TABLE items ADD PRIMARY KEY (id);
=== adding_primary_key_constraint::okay_add_constraint OK
ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY USING INDEX items_pk;
=== constraint_missing_not_valid::not_valid_validate_transaction_err ERR
BEGIN;
ALTER TABLE "app_email" ADD CONSTRAINT "fk_user" FOREIGN KEY (user_id) REFERENCES "app_user" (id) NOT VALID;
ALTER TABLE "app_email" VALIDATE CONSTRAINT "fk_user";
COMMIT;
=== constraint_missing_not_valid::adding_fk_err ERR
-- instead of
ALTER TABLE distributors ADD CONSTRAINT distfk FOREIGN KEY (address) REFERENCES addresses (address);
=== constraint_missing_not_valid::adding_fk_not_valid_ok OK
-- use `NOT VALID`
ALTER TABLE distributors ADD CONSTRAINT distfk FOREIGN KEY (address) REFERENCES addresses (address) NOT VALID;
ALTER TABLE distributors VALIDATE CONSTRAINT distfk;
=== constraint_missing_not_valid::adding_using_index_ok OK
ALTER TABLE account ADD CONSTRAINT account_pk PRIMARY KEY USING INDEX account_pk_idx;
=== constraint_missing_not_valid::adding_check_constraint_ok OK
-- use `NOT VALID`
ALTER TABLE "accounts" ADD CONSTRAINT "positive_balance" CHECK ("balance" >= 0) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT positive_balance;
=== constraint_missing_not_valid::new_table_with_transaction_ok OK
BEGIN;
CREATE TABLE "core_foo" (
"id" serial NOT NULL PRIMARY KEY,
"age" integer NOT NULL
);
ALTER TABLE "core_foo" ADD CONSTRAINT "age_restriction" CHECK ("age" >= 25);
COMMIT;
=== ban_drop_column::err ERR
ALTER TABLE "bar_tbl" DROP COLUMN "foo_col" CASCADE;
=== ban_drop_database::ban_drop_database ERR
        DROP DATABASE "table_name";
        DROP DATABASE IF EXISTS "table_name";
        DROP DATABASE IF EXISTS "table_name"
=== ban_drop_table::err ERR
DROP TABLE "table_name";
DROP TABLE IF EXISTS "table_name";
DROP TABLE IF EXISTS "table_name"
=== renaming_column::err ERR
ALTER TABLE "table_name" RENAME COLUMN "column_name" TO "new_column_name";
=== renaming_table::err ERR
ALTER TABLE "table_name" RENAME TO "new_table_name";
=== ban_concurrent_index_creation_in_transaction::ban_concurrent_index_creation_in_transaction_err ERR
        -- instead of
        BEGIN;
        CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
        COMMIT;
=== ban_concurrent_index_creation_in_transaction::ban_concurrent_index_creation_in_transaction_ok OK
  -- run outside a transaction
  CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
