#!/usr/bin/env bash
# Every row of issue 13's table, one after the other, each with its baseline in the same run, and
# issue 22's sizes row (one run: sizes are deterministic; the iterations do not apply to it).
# Usage: bench/run-all.sh [iterations]   (default 5, at least 3)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"
mvn -B -q -pl server package -DskipTests
echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for row in start status apply trace large cold backup rss history sizes; do
  echo
  BENCH_NO_BUILD=1 "bench/run-$row-bench.sh" "$n"
done
