#!/usr/bin/env bash
# (e) create_migration of ~15 MB SQL over stdio vs the analysis engine alone; the servers run as plain
# `java -jar`, and one more with the JVM options of the .mcp.json init writes (how users run it).
# Usage: bench/run-large-bench.sh [iterations]   (default 5, at least 3)
# Profile the servers: BENCH_SERVER_OPTS="-Xlog:jfr+startup=error -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile,dumponexit=true"
# (a directory: one recording per server; without the -Xlog option the JVM prints "Started recording" on
# stdout, the MCP channel). BENCH_BEFORE_JAR=path/to/old.jar adds an older jar, new table, in the same rounds.
source "$(dirname "$0")/common.sh"
server_bench large "${1:-5}" ${BENCH_SERVER_OPTS:+"-Dbench.server.options=$BENCH_SERVER_OPTS"}
