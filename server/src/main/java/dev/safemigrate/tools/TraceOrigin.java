package dev.safemigrate.tools;

/**
 * Where the trace in a result came from, so a person can tell: executed by this call, or reused
 * from an earlier dry run because nothing it saw can have changed since.
 *
 * @param reused   true when this call did not execute the migrations again
 * @param tracedAt when the migrations were executed and rolled back (ISO-8601)
 * @param why      why it was reused, or why it was traced (again)
 */
public record TraceOrigin(boolean reused, String tracedAt, String why) {}
