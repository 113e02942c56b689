# Sourced by the bench/run-*.sh scripts: builds the jar once, resolves the classpath, keeps scratch
# data in bench/.work (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$PWD/bench/.work"
mkdir -p "$WORK"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  mvn -B -q -pl server package -DskipTests
fi
mvn -B -q -pl server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="server/target/classes:$(cat server/target/bench-classpath.txt)"
JAR="$PWD/server/target/safemigrate.jar"

# The start baseline's TypeScript SDK, from the npm registry, into the ignored scratch folder.
node_baseline() {
  local dir="$WORK/node"
  mkdir -p "$dir"
  cp bench/ts-minimal-server.mjs "$dir/server.mjs"
  if [ ! -d "$dir/node_modules/@modelcontextprotocol/sdk" ]; then
    [ -f "$dir/package.json" ] || echo '{"private":true,"type":"module"}' > "$dir/package.json"
    (cd "$dir" && npm install --silent --no-audit --no-fund @modelcontextprotocol/sdk >&2)
  fi
  echo "$dir/server.mjs"
}

server_bench() { # ROW ITERATIONS [extra -D options]
  local row="$1" n="$2"; shift 2
  java -cp "$CP" -Dbench.work="$WORK" -Dbench.jar="$JAR" ${BEFORE_OPT[@]+"${BEFORE_OPT[@]}"} "$@" bench/ServerBench.java "$row" "$n" 2>"$WORK/bench-$row.stderr"
}

# A jar built before this branch's changes, measured beside the current one when present
# (BENCH_BEFORE_JAR=path/to/old/safemigrate.jar).
BEFORE_OPT=()
if [ -n "${BENCH_BEFORE_JAR:-}" ]; then BEFORE_OPT=(-Dbench.jar.before="$BENCH_BEFORE_JAR"); fi

# A project's diesel history as Flyway files, for rows (h) and (sizes): history_files REPO OUT. REPO is a
# git directory or a URL (cloned bare into bench/.work/history-repo once); each
# migrations/<timestamp>_<name>/up.sql at its HEAD becomes OUT/V<n>__<name>.sql, in order, diesel's
# initial setup (its helper functions) included.
history_files() {
  local repo="$1" out="$2" gitdir
  if [ -d "$repo" ]; then
    gitdir="$repo"
  else
    gitdir="$WORK/history-repo"
    if [ ! -d "$gitdir" ]; then
      git clone -q --bare --filter=blob:none "$repo" "$gitdir"
    fi
  fi
  local G=(git --git-dir="$gitdir")
  rm -rf "$out"
  mkdir -p "$out"
  local n=0 dir name
  for dir in $("${G[@]}" ls-tree --name-only HEAD:migrations); do
    "${G[@]}" cat-file -e "HEAD:migrations/$dir/up.sql" 2>/dev/null || continue
    n=$((n + 1))
    # diesel's folder names are <timestamp>_<name>; safemigrate's names are [a-z0-9_]{1,60}
    name=$(echo "${dir#*_}" | tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9_]/_/g' | cut -c1-60)
    "${G[@]}" show "HEAD:migrations/$dir/up.sql" > "$out/V${n}__${name}.sql"
  done
  echo "history: $("${G[@]}" rev-parse --short HEAD) of $repo, $n up.sql files; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
