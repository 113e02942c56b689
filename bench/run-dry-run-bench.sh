#!/usr/bin/env bash
# Builds the server classes and runs bench/DryRunBench.java on an embedded PostgreSQL (not a test).
# Usage: bench/run-dry-run-bench.sh [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl server compile
mvn -q -pl server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "server/target/classes:$(cat server/target/bench-classpath.txt)" bench/DryRunBench.java "${1:-5}" 2>/dev/null
