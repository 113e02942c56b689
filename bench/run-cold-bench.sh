#!/usr/bin/env bash
# (e′) an agent's first create_migration of a session: a small migration in a fresh server process, from process
# start to the call answered, beside the same server's warm call. Usage: bench/run-cold-bench.sh [iterations]
# (default 5, at least 3). BENCH_BEFORE_JAR=path/to/old.jar adds an older jar (its own class archive) in the same rounds;
# BENCH_SERVER_OPTS as in run-large-bench.sh (e.g. a JFR recording or -Xlog:class+load).
source "$(dirname "$0")/common.sh"
server_bench cold "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
