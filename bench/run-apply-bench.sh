#!/usr/bin/env bash
# (c) apply_to_dev of 300 small migrations vs Flyway's migrate() alone.
# Usage: bench/run-apply-bench.sh [iterations]   (default 5, at least 3)
source "$(dirname "$0")/common.sh"
server_bench apply "${1:-5}" 
