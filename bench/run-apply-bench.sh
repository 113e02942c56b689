#!/usr/bin/env bash
# (c) apply_to_dev of 300 small migrations vs Flyway's migrate() alone.
# Usage: bench/run-apply-bench.sh [iterations]   (default 5, at least 3)
# BENCH_BEFORE_JAR=old.jar applies the same files with an older jar too, on its own database, in the same rounds.
# BENCH_SERVER_OPTS as in run-large-bench.sh (e.g. a JFR recording of the server).
source "$(dirname "$0")/common.sh"
server_bench apply "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
