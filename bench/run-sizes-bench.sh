#!/usr/bin/env bash
# (sizes) Issue 22: how much of an agent's context each answer takes on a whole history. The built jar
# over stdio, as the least-privileged role, on a fresh database: status, show_sql (all, one), the dry
# run, the apply that asks for a confirmation, the confirmed apply, status, then a new two-statement
# migration written, shown, dry-run and applied, and a backup; the length of each result's
# structuredContent as compact JSON (JSON.stringify), ≈ tokens (chars / 4), its text's length, against
# the 8,000-char default budget (20,000 ceiling), and where error, at_risk, confirmation_token,
# expires_at and next stand in it. Sizes are deterministic: one run, each call also timed once.
# Usage: bench/run-sizes-bench.sh
#
# Histories: the generated 240-migration history of row (d) plus one migration updating a row in each
# of 40 early tables (so the apply asks about risks), and, when BENCH_HISTORY_REPO is set (a git dir
# or URL, as for run-history-bench.sh), that project's diesel history converted the same way, the
# prefix PostgreSQL 15 applies. BENCH_BEFORE_JAR=old.jar makes the same calls with that jar on its
# own fresh database and prints its sizes beside, with before/after.
source "$(dirname "$0")/common.sh"
all=()
if [ -n "${BENCH_HISTORY_REPO:-}" ]; then
  rm -rf "$WORK/sizes-history"
  history_files "$BENCH_HISTORY_REPO" "$WORK/sizes-history/all"
  all=("$WORK/sizes-history/all")
else
  echo "BENCH_HISTORY_REPO not set: the generated history only"
fi
echo "jar: $JAR (branch $(git rev-parse --abbrev-ref HEAD), $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- server || echo ', server/ changed since')); load average $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/sizes-classes"
# GeneratedHistory is a test class: compiled here from its source (it needs only java.util)
javac -nowarn -d "$WORK/sizes-classes" -cp "$CP" bench/ServerBench.java bench/HistoryBench.java bench/SizesBench.java \
  server/src/test/java/dev/safemigrate/testing/GeneratedHistory.java
java -cp "$WORK/sizes-classes:$CP" -Dbench.work="$WORK" -Dbench.jar="$JAR" ${BEFORE_OPT[@]+"${BEFORE_OPT[@]}"} SizesBench \
  ${all[@]+"${all[@]}"} 2>"$WORK/bench-sizes.stderr"
