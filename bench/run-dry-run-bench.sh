#!/usr/bin/env bash
# Builds the server classes and runs bench/DryRunBench.java on an embedded PostgreSQL (not a test).
# Usage: bench/run-dry-run-bench.sh [iterations]
# BENCH_BEFORE_JAR=path/to/old/safemigrate.jar adds that jar's tracer, in the same rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl server compile
mvn -q -pl server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="server/target/classes:$(cat server/target/bench-classpath.txt)"
mkdir -p bench/.work/dry-run-classes
javac -nowarn -d bench/.work/dry-run-classes -cp "$CP" bench/ServerBench.java bench/BeforeTracer.java bench/DryRunBench.java
java -cp "bench/.work/dry-run-classes:$CP" -Dbench.before.jar="${BENCH_BEFORE_JAR:-}" DryRunBench "${1:-5}" 2>/dev/null
