#!/usr/bin/env bash
# (a) process start to tools/list, vs a minimal server on the official TypeScript SDK.
# Usage: bench/run-start-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench start "${1:-5}" -Dbench.node.server="$(node_baseline)"
