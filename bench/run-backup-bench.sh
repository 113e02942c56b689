#!/usr/bin/env bash
# (f) backup of a few-hundred-MB database vs bare pg_dump -Fc.
# Usage: bench/run-backup-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench backup "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
