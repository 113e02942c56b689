#!/usr/bin/env bash
# (h) A real project's history on a fresh database as an agent applies it: apply_to_dev (a traced dry
# run answering CONFIRMATION_REQUIRED with a token), then the confirmed apply, vs Flyway's migrate()
# alone on the same files. BENCH_BEFORE_JAR=old.jar measures an older jar in the same rounds.
# Usage: bench/run-history-bench.sh [iterations]   (default 5, at least 3)
#
# The history is LemmyNet/lemmy's diesel migrations (AGPL-3.0: never committed here, fetched at
# benchmark time into bench/.work, which git ignores). BENCH_HISTORY_REPO is a git directory or a
# URL (default https://github.com/LemmyNet/lemmy.git, cloned bare into bench/.work/history-repo).
# Each migrations/<timestamp>_<name>/up.sql becomes V<n>__<name>.sql, in order, diesel's initial
# setup (its helper functions) included; the benchmark keeps the prefix that applies on the
# PostgreSQL 15 it starts (later migrations use PostgreSQL 16 syntax).
source "$(dirname "$0")/common.sh"
all="$WORK/history/all"
rm -rf "$WORK/history"
history_files "${BENCH_HISTORY_REPO:-https://github.com/LemmyNet/lemmy.git}" "$all"
mkdir -p "$WORK/history-classes"
javac -nowarn -d "$WORK/history-classes" -cp "$CP" bench/ServerBench.java bench/HistoryBench.java
java -cp "$WORK/history-classes:$CP" -Dbench.work="$WORK" -Dbench.jar="$JAR" ${BEFORE_OPT[@]+"${BEFORE_OPT[@]}"} HistoryBench "$all" "${1:-5}" \
  2>"$WORK/bench-history.stderr"
