#!/usr/bin/env bash
# (d) traced dry-run cost per statement as the schema grows (a generated 240-migration history), vs plain execution.
# Usage: bench/run-trace-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
java -cp "server/target/test-classes:$CP" bench/TraceBench.java "${1:-5}" 2>"$WORK/bench-trace.stderr"
