#!/usr/bin/env bash
# Times one spoke-status command built from two revisions, their runs
# interleaved (A, B, A, B, ...) so that the machine's drift hits both
# alike, and prints the median wall time (milliseconds, from the clock),
# user CPU and peak RSS (/usr/bin/time) of each. A difference smaller than
# a few percent is within what builds of the same code differ by on a
# shared 2-core machine.
#
#   bench/ab.sh 696a6a5 HEAD summarize --by code /tmp/spoke-status-hostile/hostile.csv
#   RUNS=30 bench/ab.sh main HEAD summarize -f json export.csv
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: bench/ab.sh REV_A REV_B COMMAND ARGS..." >&2; exit 2; }
A=$1 B=$2; shift 2
RUNS="${RUNS:-15}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spoke-status-ab.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
for side in a b; do
  rev=$A; [ "$side" = b ] && rev=$B
  mkdir -p "$WORK/$side/src"
  git archive "$rev" | tar -x -C "$WORK/$side/src"
  (cd "$WORK/$side/src" && go build -o "$WORK/$side/spoke-status" ./cmd/spoke-status)
done
for i in $(seq "$RUNS"); do
  for side in a b; do
    # Wall time from the clock in milliseconds (/usr/bin/time gives
    # hundredths, the size of the differences measured here).
    start=$(date +%s%N)
    /usr/bin/time -f "%U %M" "$WORK/$side/spoke-status" "$@" > /dev/null 2> "$WORK/err" || true
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(tail -n 1 "$WORK/err")" >> "$WORK/$side.times"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS interleaved runs each: $*"
for side in a b; do
  rev=$A; [ "$side" = b ] && rev=$B
  t="$WORK/$side.times"
  echo "$rev ($(git rev-parse --short "$rev")): $(cut -d' ' -f1 "$t" | median) ms wall, $(cut -d' ' -f2 "$t" | median) s user, $(cut -d' ' -f3 "$t" | median) KB peak (medians)"
done
