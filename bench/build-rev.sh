#!/usr/bin/env bash
# build-rev.sh REV: checks REV out into bench/work/ab-<short REV> (a git worktree) and builds it there
# (mvn package, offline) unless already built; prints the checkout's folder. Used by the A/B scripts.
# Remove a checkout with `git worktree remove --force bench/work/ab-REV`.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
REV="${1:?usage: bench/build-rev.sh REV}"
OLD="$BENCH/work/ab-$(git -C "$ROOT" rev-parse --short "$REV")"
if [ ! -f "$OLD/ferry-cli/target/ferry.jar" ]; then
  git -C "$ROOT" worktree add -f --detach "$OLD" "$REV" >/dev/null
  # shellcheck source=scripts/find-jdk.sh
  (cd "$ROOT" && . scripts/find-jdk.sh && ferry_find_jdk && cd "$OLD" \
    && env JAVA_HOME="$FERRY_JAVA_HOME" mvn -q -B -o package -DskipTests) >&2
fi
echo "$OLD"
