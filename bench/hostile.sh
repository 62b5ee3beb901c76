#!/usr/bin/env bash
# Times summarize on a hostile export: ROWS rows (default 400,000) each
# with a distinct error code and campaign, what a column shift produces,
# against a normal generated export of about the same size. Prints wall
# time and peak resident memory (/usr/bin/time) of each run; the figures
# of README's "Bounded memory on a broken export" come from it.
#
#   bench/hostile.sh
#   ROWS=100000 bench/hostile.sh
#   ROWS=2000000 bench/hostile.sh   # the issue's 2 million rows (the normal
#                                   # export is then 800,000 rows)
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
normal="$WORK/normal.csv"
go run ./cmd/spoke-synth -rows $((ROWS * 2 / 5)) -dialect statevoices-v10 -seed 3 -o "$normal"
echo "hostile: $(wc -c < "$hostile") bytes; normal: $(wc -c < "$normal") bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # label, args...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KB peak" "$BIN" summarize "$@" > /dev/null 2> "$WORK/err" || { cat "$WORK/err"; exit 1; }
  tail -n 1 "$WORK/err"
}
run "normal   --by code (table)" --by code "$normal"
run "hostile  --by code (table)" --by code "$hostile"
run "hostile  --by code -f json" --by code -f json "$hostile"
run "hostile  --by code, no per-contact analyses (table)" --by code --signals=false --replies=false "$hostile"
run "hostile  --by code -f json, no per-contact analyses" --by code -f json --signals=false --replies=false "$hostile"
run "hostile  --by campaign (table)" --by campaign "$hostile"
run "hostile  plain" "$hostile"
