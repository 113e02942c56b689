#!/usr/bin/env bash
# Builds the server classes and runs bench/AnalysisBench.java (not a test). Usage: bench/run-analysis-bench.sh [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl server compile
mvn -q -pl server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -Xmx2g -cp "server/target/classes:$(cat server/target/bench-classpath.txt)" bench/AnalysisBench.java "${1:-5}"
