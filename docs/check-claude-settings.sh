#!/usr/bin/env bash
# Claude Code's own settings check on what `safemigrate init` writes: not in the default test run,
# since it needs the @anthropic-ai/claude-code package (a 409 MB native binary; 2.1.337 checked).
# Usage: docs/check-claude-settings.sh [path/to/claude]   (default: claude on the PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
claude="${1:-claude}"
jar="$PWD/server/target/safemigrate.jar"
[ -f "$jar" ] || mvn -B -q -pl server package -DskipTests
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
(cd "$project" && git init -q && HOME="$project/home" XDG_CONFIG_HOME="$project/config" XDG_CACHE_HOME="$project/cache" \
  java -jar "$jar" init </dev/null >/dev/null)
verdict=$(HOME="$project/home" "$claude" --check-settings-text < "$project/.claude/settings.json")
echo "$verdict"
echo "$verdict" | grep -q '"loads":true' && echo "$verdict" | grep -q '"problems":\[\]'
