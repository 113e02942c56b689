#!/usr/bin/env bash
# (d) traced dry-run cost per statement as the schema grows (a generated 240-migration history), vs plain execution.
# Usage: bench/run-trace-bench.sh [iterations]   (default 5, at least 3)
# BENCH_BEFORE_JAR=path/to/old/safemigrate.jar adds that jar's tracer, in the same rounds.
source "$(dirname "$0")/common.sh"
mkdir -p "$WORK/trace-classes"
javac -nowarn -d "$WORK/trace-classes" -cp "server/target/test-classes:$CP" bench/ServerBench.java bench/BeforeTracer.java bench/TraceBench.java
java -cp "$WORK/trace-classes:server/target/test-classes:$CP" -Dbench.before.jar="${BENCH_BEFORE_JAR:-}" TraceBench "${1:-5}" 2>"$WORK/bench-trace.stderr"
