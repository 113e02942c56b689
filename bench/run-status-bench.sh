#!/usr/bin/env bash
# (b) warm status median over an external (embedded-started) PostgreSQL.
# Usage: bench/run-status-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench status "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
