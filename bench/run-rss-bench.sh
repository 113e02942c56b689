#!/usr/bin/env bash
# (g) idle RSS after status + show_sql.
# Usage: bench/run-rss-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench rss "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
