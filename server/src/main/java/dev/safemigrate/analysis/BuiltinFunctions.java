package dev.safemigrate.analysis;

import java.util.Set;

/**
 * PostgreSQL built-in functions (pg_catalog) that run no user code, reach nothing outside the
 * database and change nothing but what they return: calling them needs no one's say-so. Kept
 * explicit on purpose — a function is added here only after reading what it does; everything not
 * listed counts as code analysis cannot see. The sequence functions nextval/currval/lastval are
 * the one accepted effect: they advance a counter inside this database (every serial column's
 * default calls nextval); setval, which moves it anywhere, is not listed.
 *
 * <p>Function-style casts and the typmod of a type share the {@code name(…)} shape, so the type
 * names that take a modifier are listed too ({@code varchar(40)}, {@code numeric(10,2)}).
 */
public final class BuiltinFunctions {

    private BuiltinFunctions() {}

    private static final Set<String> SIDE_EFFECT_FREE = Set.of(
            // aggregates and window functions
            "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "array_agg", "string_agg", "json_agg",
            "jsonb_agg", "json_object_agg", "jsonb_object_agg", "stddev", "stddev_pop", "stddev_samp", "variance",
            "var_pop", "var_samp", "percentile_cont", "percentile_disc", "mode", "bit_and", "bit_or", "row_number",
            "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
            "nth_value", "grouping",
            // conditionals
            "coalesce", "nullif", "greatest", "least", "num_nonnulls", "num_nulls",
            // strings
            "lower", "upper", "length", "char_length", "character_length", "octet_length", "bit_length", "substr",
            "substring", "position", "strpos", "trim", "btrim", "ltrim", "rtrim", "lpad", "rpad", "replace", "translate",
            "concat", "concat_ws", "format", "left", "right", "reverse", "repeat", "split_part", "initcap", "md5",
            "sha224", "sha256", "sha384", "sha512", "encode", "decode", "to_hex", "ascii", "chr", "quote_ident",
            "quote_literal", "quote_nullable", "regexp_replace", "regexp_match", "regexp_matches", "regexp_split_to_array",
            "regexp_split_to_table", "regexp_like", "regexp_count", "regexp_instr", "regexp_substr", "starts_with",
            "overlay", "string_to_array", "array_to_string", "normalize", "unistr",
            // numbers
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "power", "sqrt", "cbrt", "exp", "ln", "log",
            "log10", "sign", "div", "pi", "random", "width_bucket", "gcd", "lcm", "scale", "degrees", "radians",
            // dates and times
            "now", "current_timestamp", "current_time", "localtime", "localtimestamp", "clock_timestamp",
            "statement_timestamp", "transaction_timestamp", "timeofday", "date_trunc", "date_part", "date_bin", "extract",
            "age", "make_date", "make_time", "make_timestamp", "make_timestamptz", "make_interval", "to_char", "to_date",
            "to_timestamp", "to_number", "justify_days", "justify_hours", "justify_interval", "isfinite",
            // identifiers and json
            "gen_random_uuid", "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array",
            "jsonb_build_array", "json_object", "jsonb_object", "jsonb_set", "jsonb_insert", "jsonb_strip_nulls",
            "json_strip_nulls", "jsonb_pretty", "json_typeof", "jsonb_typeof", "json_array_length", "jsonb_array_length",
            "json_each", "jsonb_each", "json_each_text", "jsonb_each_text", "json_array_elements", "jsonb_array_elements",
            "json_array_elements_text", "jsonb_array_elements_text", "json_object_keys", "jsonb_object_keys",
            "json_extract_path", "jsonb_extract_path", "json_extract_path_text", "jsonb_extract_path_text",
            "jsonb_path_query", "jsonb_path_query_array", "jsonb_path_query_first", "jsonb_path_exists",
            "jsonb_path_match", "row_to_json", "array_to_json",
            // arrays, ranges, series, text search
            "array_length", "array_append", "array_prepend", "array_cat", "array_remove", "array_replace",
            "array_position", "array_positions", "cardinality", "unnest", "array_lower", "array_upper", "array_dims",
            "array_fill", "generate_series", "generate_subscripts", "int4range", "int8range", "numrange", "tsrange",
            "tstzrange", "daterange", "lower_inc", "upper_inc", "isempty", "to_tsvector", "to_tsquery",
            "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank", "ts_rank_cd", "ts_headline",
            "setweight",
            // sequences (see above), session facts, type lookups
            "nextval", "currval", "lastval", "current_setting", "current_database", "current_schema", "current_schemas",
            "version", "pg_typeof", "to_regclass", "to_regtype",
            // function-style casts and type modifiers
            "cast", "int2", "int4", "int8", "smallint", "integer", "bigint", "text", "varchar", "char", "character",
            "varying", "nchar", "numeric", "decimal", "dec", "float", "float4", "float8", "bool", "date", "time",
            "timetz", "timestamp", "timestamptz", "interval", "bit", "varbit", "second", "minute", "hour", "day",
            "month", "year", "uuid", "jsonb", "json", "bytea");

    /**
     * Whether a call of {@code name}, qualified by {@code schema} (null when unqualified), is a
     * side-effect-free built-in. A call qualified by another schema is a user function, whatever
     * its name.
     */
    public static boolean sideEffectFree(String schema, String name) {
        return (schema == null || schema.equals("pg_catalog")) && SIDE_EFFECT_FREE.contains(name);
    }
}
