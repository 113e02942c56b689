#!/usr/bin/env bash
# (e) create_migration of ~15 MB SQL over stdio vs the analysis engine alone.
# Usage: bench/run-large-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench large "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
