#!/usr/bin/env bash
# Times summarize on a hostile export: ROWS rows (default 400,000) each
# with a distinct error code and campaign, what a column shift produces,
# against the same rows with a few codes and campaigns and normal
# generated exports of about the same bytes and of as many rows, the
# latter also with broken columns (spoke-synth -broken-columns). Prints
# the medians of RUNS runs (default 3) of wall time, user CPU and peak
# resident memory (/usr/bin/time); the figures of README's "Bounded
# memory on a broken export" come from it.
#
#   bench/hostile.sh
#   ROWS=100000 bench/hostile.sh
#   ROWS=2000000 bench/hostile.sh   # the issue's 2 million rows (the normal
#                                   # exports are then 800,000 and 2 million rows)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-400000}"
WORK="${WORK:-${TMPDIR:-/tmp}/spoke-status-hostile}"
mkdir -p "$WORK"
BIN="$WORK/spoke-status"
go build -o "$BIN" ./cmd/spoke-status

hostile="$WORK/hostile.csv"
awk -v n="$ROWS" 'BEGIN {
  print "campaignId,contactNumber,isFromContact,sendStatus,errorCodes,attemptedAt,text"
  for (i = 0; i < n; i++)
    printf "camp%d,+1555%07d,false,ERROR,%d,2024-10-01T18:%02d:%02dZ,hello there https://x%d.example.org/a\n",
      i, i, 100000 + i, int(i / 60) % 60, i % 60, i % 50
}' > "$hostile"
# The same rows with a few codes and campaigns: what the broken columns
# alone cost.
sane="$WORK/sane.csv"
awk -v n="$ROWS" 'BEGIN {
  print "campaignId,contactNumber,isFromContact,sendStatus,errorCodes,attemptedAt,text"
  for (i = 0; i < n; i++)
    printf "camp%d,+1555%07d,false,ERROR,%d,2024-10-01T18:%02d:%02dZ,hello there https://x%d.example.org/a\n",
      i % 20, i, 30000 + i % 25, int(i / 60) % 60, i % 60, i % 50
}' > "$sane"
# Two normal generated exports: one of about the same bytes (ROWS*2/5
# rows: a generated row is about 2.5 times as long), one of as many rows.
normal="$WORK/normal.csv"
go run ./cmd/spoke-synth -rows $((ROWS * 2 / 5)) -dialect statevoices-v10 -seed 3 -o "$normal"
normal_rows="$WORK/normal-rows.csv"
go run ./cmd/spoke-synth -rows "$ROWS" -dialect statevoices-v10 -seed 3 -o "$normal_rows"
# The latter with a campaign and a code of its own on every row, what a
# shifted column leaves in a real export (texts, statuses and replies
# included).
shifted="$WORK/shifted.csv"
go run ./cmd/spoke-synth -rows "$ROWS" -dialect statevoices-v10 -seed 3 -broken-columns -o "$shifted"
echo "hostile: $(wc -c < "$hostile") bytes; normal: $(wc -c < "$normal") bytes; normal of $ROWS rows: $(wc -c < "$normal_rows") bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"

RUNS="${RUNS:-3}"
run() { # label, args...: the median of RUNS runs' wall, user CPU and peak RSS
  local label=$1; shift
  : > "$WORK/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %M" "$BIN" summarize "$@" > /dev/null 2> "$WORK/err" || { cat "$WORK/err"; exit 1; }
    tail -n 1 "$WORK/err" >> "$WORK/times"
  done
  median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  echo "$label: $(cut -d' ' -f1 "$WORK/times" | median) s wall, $(cut -d' ' -f2 "$WORK/times" | median) s user, $(cut -d' ' -f3 "$WORK/times" | median) KB peak (medians of $RUNS)"
}
run "same rows, 20 campaigns and 25 codes, --by code (table)" --by code "$sane"
run "normal   --by code (table)" --by code "$normal"
run "normal, as many rows, --by code (table)" --by code "$normal_rows"
run "normal, as many rows, plain" "$normal_rows"
run "normal, as many rows, broken columns, --by code (table)" --by code "$shifted"
run "normal, as many rows, broken columns, plain" "$shifted"
run "hostile  --by code (table)" --by code "$hostile"
run "hostile  --by code -f json" --by code -f json "$hostile"
run "hostile  --by code, no per-contact analyses (table)" --by code --signals=false --replies=false "$hostile"
run "hostile  --by code -f json, no per-contact analyses" --by code -f json --signals=false --replies=false "$hostile"
run "hostile  --by campaign (table)" --by campaign "$hostile"
run "hostile  plain" "$hostile"
