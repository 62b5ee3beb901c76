#!/usr/bin/env bash
# Reproduces the comparison table of docs/performance.md: spoke-status
# summarize against DuckDB, Miller, Python's csv module and `wc -l` on one
# generated Rewired export, computing the same five figures (rows, outbound,
# errored, opt-out rejections, stuck SENT). DuckDB runs two queries: the
# full one (those figures plus the histograms by send status and by primary
# code that summarize also reports) and the counts alone. spoke-status also
# runs without its analyses (their cost together), without each one in turn
# (its own cost: the difference from every analysis on), on the gzip of the
# export, and as contacts --list all.
#
#   bench/compare.sh                 # 2.5M rows (~594 MB), 5 rounds
#   ROWS=200000 RUNS=3 bench/compare.sh
#
# Environment:
#   ROWS       data rows of the generated export (default 2500000)
#   RUNS       timed rounds for the fast tools (default 5)
#   SLOW_RUNS  timed rounds for Miller and Python, which take minutes (default 3)
#   WORK       scratch directory: export, binary, peer installs, results
#              (default ${TMPDIR:-/tmp}/spoke-status-bench)
#   INSTALL    0 to only use peers already installed (default 1: apt-get and npm)
#   HYPERFINE  1 to also time spoke-status and DuckDB with hyperfine
#
# Each round runs every tool once, in turn, so that load from elsewhere on
# the machine hits all tools alike; the table gives the median wall time,
# the throughput it implies, the range, and the median peak resident memory
# (/usr/bin/time -v's "Maximum resident set size"). A peer that cannot be
# installed is skipped with a message. The file is read once first so that
# every run finds it in the page cache.
set -euo pipefail

ROWS=${ROWS:-2500000}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
WORK=${WORK:-${TMPDIR:-/tmp}/spoke-status-bench}
INSTALL=${INSTALL:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
EXPORT=$WORK/rewired-$ROWS.csv
BIN=$WORK/spoke-status

say() { printf '%s\n' "$*" >&2; }

mkdir -p "$WORK/peers"

# --- spoke-status and the export -------------------------------------------
say "building spoke-status and generating the export ($ROWS rows)..."
(cd "$REPO" && go build -o "$BIN" ./cmd/spoke-status)
if [[ ! -s $EXPORT ]]; then
  (cd "$REPO" && go run ./cmd/spoke-synth -rows "$ROWS" -dialect rewired -seed 1 -o "$EXPORT")
fi
SIZE=$(stat -L -c %s "$EXPORT")
head -n 1 "$EXPORT" >"$WORK/header-only.csv" # measures a peer's fixed start-up cost
if [[ ! -s $EXPORT.gz ]]; then
  say "compressing the export (gzip -6)..."
  gzip -6 -c "$EXPORT" >"$EXPORT.gz.tmp" && mv "$EXPORT.gz.tmp" "$EXPORT.gz"
fi

# --- peers -------------------------------------------------------------------
apt_install() { # package command
  command -v "$2" >/dev/null && return 0
  [[ $INSTALL == 1 ]] || return 1
  say "installing $1 with apt-get..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; } >/dev/null 2>&1 || true
  command -v "$2" >/dev/null
}

HAVE_DUCKDB=0 HAVE_MILLER=0 HAVE_PYTHON=0
# DuckDB is not packaged by Debian; its Node.js client ships the native
# library as an npm package (@duckdb/node-bindings-linux-x64).
if command -v node >/dev/null || apt_install nodejs node; then
  if [[ ! -d $WORK/duckdb/node_modules/@duckdb/node-api && $INSTALL == 1 ]] && command -v npm >/dev/null; then
    say "installing @duckdb/node-api with npm..."
    mkdir -p "$WORK/duckdb"
    (cd "$WORK/duckdb" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
  fi
  [[ -d $WORK/duckdb/node_modules/@duckdb/node-api ]] && HAVE_DUCKDB=1
fi
[[ $HAVE_DUCKDB == 1 ]] || say "skipping DuckDB: could not install @duckdb/node-api with npm"
if apt_install miller mlr; then HAVE_MILLER=1; else say "skipping Miller: apt-get install miller failed"; fi
if command -v python3 >/dev/null || apt_install python3 python3; then HAVE_PYTHON=1; else say "skipping Python: no python3"; fi
HAVE_TIME=1
[[ -x /usr/bin/time ]] || apt_install time /usr/bin/time || HAVE_TIME=0
[[ $HAVE_TIME == 1 ]] || { say "error: /usr/bin/time (Debian package time) is needed"; exit 1; }

# --- the equivalent queries --------------------------------------------------
# Same definitions as spoke-status: outbound = isFromContact false; errored =
# outbound with status ERROR; opt-out rejection = errored whose first code is
# 21610 (Twilio), 40300 (Telnyx) or 4775 (Bandwidth); stuck = outbound SENT
# more than 2 hours before the newest attemptedAt of the file.
cat >"$WORK/duckdb/query.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
// only: "status" (the research notes' baseline), "counts" (the five
// figures), or unset: the five figures and the histograms by send status
// and primary code of outbound texts, as summarize reports them.
const [file, threads, only] = [process.argv[2], process.argv[3] || '2', process.argv[4]];
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const csv = `read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)`;
// "status": the research anchors' baseline, status counts of outbound texts only.
const status = `SELECT sendStatus, count(*) AS n FROM ${csv} WHERE isFromContact = 'false' GROUP BY ALL ORDER BY n DESC`;
const sql = only === 'status' ? status : `
WITH t AS (
  SELECT lower(trim(isFromContact)) IN ('false', 'f', '0') AS outbound,
         upper(trim(sendStatus)) AS status,
         split_part(trim(errorCodes), '|', 1) AS code,
         TRY_CAST(nullif(trim(attemptedAt), '') AS TIMESTAMPTZ) AS ts
  FROM ${csv}
), agg AS (
  SELECT count(*) AS rows,
         count(*) FILTER (WHERE outbound) AS outbound,
         count(*) FILTER (WHERE outbound AND status = 'ERROR') AS errored,
         count(*) FILTER (WHERE outbound AND status = 'ERROR' AND code IN ('21610', '40300', '4775')) AS opt_out_rejections,
         max(ts) AS as_of,
         list(ts) FILTER (WHERE outbound AND status = 'SENT' AND ts IS NOT NULL) AS sent_at${only === 'counts' ? '' : `,
         histogram(status) FILTER (WHERE outbound) AS by_status,
         histogram(code) FILTER (WHERE outbound AND code <> '') AS by_code`}
  FROM t
)
SELECT rows, outbound, errored, opt_out_rejections,
       len(list_filter(sent_at, lambda x: as_of - x > INTERVAL 2 HOUR)) AS sent_stuck${only === 'counts' ? '' : `,
       cardinality(by_status) AS statuses, cardinality(by_code) AS codes`}
FROM agg`;
const r = await con.runAndReadAll(sql);
const rows = r.getRowObjects();
console.log(JSON.stringify(only === 'status' ? rows : rows[0], (k, v) => typeof v === 'bigint' ? Number(v) : v));
EOF

cat >"$WORK/peers/query.mlr" <<'EOF'
begin {
  @rows = 0; @outbound = 0; @errored = 0; @opt_out_rejections = 0; @sent_stuck = 0;
  @as_of = -1; @sent = {};
}
# Miller 6.6's strptime does not read "-04:00" offsets: apply them by hand.
s = strip($attemptedAt);
ts = -1;
if (s =~ "^(.*)([+-])([0-9][0-9]):([0-9][0-9])$") {
  off = int("\3") * 3600 + int("\4") * 60;
  t = strptime("\1" . "Z", "%Y-%m-%dT%H:%M:%SZ");
  ts = "\2" == "+" ? t - off : t + off;
} elif (s != "") {
  ts = strptime(s, "%Y-%m-%dT%H:%M:%SZ");
}
if (!is_numeric(ts)) { ts = -1 }
if (ts > @as_of) { @as_of = ts }
@rows += 1;
if (tolower(strip($isFromContact)) == "false") {
  @outbound += 1;
  status = toupper(strip($sendStatus));
  if (status == "ERROR") {
    @errored += 1;
    code = sub(strip($errorCodes), "[|].*$", "");
    if (code == "21610" || code == "40300" || code == "4775") { @opt_out_rejections += 1 }
  } elif (status == "SENT" && ts >= 0) {
    @sent[NR] = ts;
  }
}
end {
  for (k, v in @sent) { if (@as_of - v > 7200) { @sent_stuck += 1 } }
  emit (@rows, @outbound, @errored, @opt_out_rejections, @sent_stuck);
}
EOF

cat >"$WORK/peers/query.py" <<'EOF'
import csv, json, sys
from datetime import datetime, timedelta

OPT_OUT = {"21610", "40300", "4775"}
rows = outbound = errored = opt_out = 0
as_of = None
sent = []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    h = next(r)
    i_from, i_status, i_codes, i_at = (h.index(c) for c in ("isFromContact", "sendStatus", "errorCodes", "attemptedAt"))
    for row in r:
        rows += 1
        s = row[i_at].strip()
        ts = datetime.fromisoformat(s.replace("Z", "+00:00")) if s else None
        if ts is not None and (as_of is None or ts > as_of):
            as_of = ts
        if row[i_from].strip().lower() != "false":
            continue
        outbound += 1
        status = row[i_status].strip().upper()
        if status == "ERROR":
            errored += 1
            if row[i_codes].strip().split("|")[0] in OPT_OUT:
                opt_out += 1
        elif status == "SENT" and ts is not None:
            sent.append(ts)
stuck = sum(1 for t in sent if as_of - t > timedelta(hours=2))
print(json.dumps({"rows": rows, "outbound": outbound, "errored": errored,
                  "opt_out_rejections": opt_out, "sent_stuck": stuck}))
EOF

# --- the tools -----------------------------------------------------------------
CORES=$(nproc)
ALL=0-$((CORES > 1 ? 1 : 0)) # the 2-core runs use CPUs 0 and 1
TOOLS=() SLOW=()
add() { TOOLS+=("$1"); SLOW+=("$2"); }
add "wc -l" 0
add "spoke-status (1 core)" 0
[[ $CORES -ge 2 ]] && add "spoke-status (2 cores)" 0
if [[ $HAVE_DUCKDB == 1 ]]; then
  add "DuckDB startup (header-only file)" 0
  add "DuckDB (1 thread)" 0
  [[ $CORES -ge 2 ]] && add "DuckDB (2 threads)" 0
  [[ $CORES -ge 2 ]] && add "DuckDB counts only (2 threads)" 0
  add "DuckDB status counts only ($((CORES > 1 ? 2 : 1)) threads)" 0
fi
[[ $CORES -ge 2 ]] && add "spoke-status, no analyses (2 cores)" 0
# The cost of each analysis: every analysis on but that one.
for a in links replies segments signals; do
  [[ $CORES -ge 2 ]] && add "spoke-status, no $a (2 cores)" 0
done
[[ $CORES -ge 2 ]] && add "spoke-status, gzip input (2 cores)" 0
[[ $CORES -ge 2 ]] && add "spoke-status contacts --list all (2 cores)" 0
[[ $HAVE_MILLER == 1 ]] && add "Miller" 1
[[ $HAVE_PYTHON == 1 ]] && add "Python csv" 1

# command prints the command line of a tool, pinned to its cores.
command_of() {
  case $1 in
  "wc -l") echo "taskset -c 0 wc -l '$EXPORT'" ;;
  "spoke-status (1 core)") echo "taskset -c 0 env GOMAXPROCS=1 '$BIN' summarize -f json '$EXPORT'" ;;
  "spoke-status (2 cores)") echo "taskset -c $ALL env GOMAXPROCS=2 '$BIN' summarize -f json '$EXPORT'" ;;
  "DuckDB startup (header-only file)") echo "taskset -c $ALL node '$WORK/duckdb/query.mjs' '$WORK/header-only.csv' 2" ;;
  "DuckDB (1 thread)") echo "taskset -c 0 node '$WORK/duckdb/query.mjs' '$EXPORT' 1" ;;
  "DuckDB (2 threads)") echo "taskset -c $ALL node '$WORK/duckdb/query.mjs' '$EXPORT' 2" ;;
  "DuckDB counts only (2 threads)") echo "taskset -c $ALL node '$WORK/duckdb/query.mjs' '$EXPORT' 2 counts" ;;
  "spoke-status, no analyses (2 cores)") echo "taskset -c $ALL env GOMAXPROCS=2 '$BIN' summarize -f json --replies=false --links=false --segments=false --signals=false '$EXPORT'" ;;
  "spoke-status, no "*" (2 cores)") local a=${1#spoke-status, no }; echo "taskset -c $ALL env GOMAXPROCS=2 '$BIN' summarize -f json --${a% (2 cores)}=false '$EXPORT'" ;;
  "spoke-status, gzip input (2 cores)") echo "taskset -c $ALL env GOMAXPROCS=2 '$BIN' summarize -f json '$EXPORT.gz'" ;;
  "spoke-status contacts --list all (2 cores)") echo "taskset -c $ALL env GOMAXPROCS=2 '$BIN' contacts --list all -f csv '$EXPORT'" ;;
  "DuckDB status counts only"*) echo "taskset -c $ALL node '$WORK/duckdb/query.mjs' '$EXPORT' $((CORES > 1 ? 2 : 1)) status" ;;
  "Miller") echo "taskset -c $ALL mlr -S --icsv --ojson put -q -f '$WORK/peers/query.mlr' '$EXPORT'" ;;
  "Python csv") echo "taskset -c 0 python3 '$WORK/peers/query.py' '$EXPORT'" ;;
  esac
}

# figures prints a tool's answer as "rows outbound errored opt-outs stuck".
figures() {
  local out
  out=$(eval "$(command_of "$1")")
  case $1 in
  "wc -l") echo "$out" | awk '{print $1 - 1 " (lines - 1)"}' ;;
  spoke-status*) echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); o=d["outbound"]; print(d["totals"]["rows"], d["totals"]["outbound"], o["errored"], o["opt_out_rejections"], o["sent_stuck"])' ;;
  *) echo "$out" | tr -d '\n' | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d=d[0] if isinstance(d,list) else d; print(*(d[k] for k in ("rows","outbound","errored","opt_out_rejections","sent_stuck")))' ;;
  esac
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "warming the page cache..."
cat "$EXPORT" "$EXPORT.gz" >/dev/null

say "checking that every tool computes the same figures (also a warm-up run)..."
{
  echo "| tool | rows | outbound | errored | opt-out rejections | stuck SENT |"
  echo "|---|--:|--:|--:|--:|--:|"
  for t in "${TOOLS[@]}"; do
    [[ $t == "wc -l" || $t == *header-only* || $t == *"status counts"* || $t == *contacts* ]] && continue
    echo "| $t | $(figures "$t" | sed 's/ / | /g') |"
  done
} | tee "$WORK/figures.md" >&2

# --- timing: rounds alternate the tools ----------------------------------------
RESULTS=$WORK/runs.tsv
: >"$RESULTS"
for ((round = 1; round <= RUNS; round++)); do
  for i in "${!TOOLS[@]}"; do
    t=${TOOLS[$i]}
    [[ ${SLOW[$i]} == 1 && $round -gt $SLOW_RUNS ]] && continue
    say "round $round/$RUNS: $t"
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.out" bash -c "$(command_of "$t")" >/dev/null
    read -r wall rss user sys <"$WORK/time.out"
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$round" "$wall" "$rss" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" >>"$RESULTS"
  done
done

# --- the table -------------------------------------------------------------------
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
{
  echo "Export: $ROWS rows, $SIZE bytes ($(awk -v s="$SIZE" 'BEGIN {printf "%.0f", s / 1e6}') MB), Rewired dialect, seed 1."
  echo "Machine: $CORES CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr); load average at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| tool | median wall | MB/s | range | runs | median CPU | peak RSS |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  for t in "${TOOLS[@]}"; do
    walls=$(awk -F'\t' -v t="$t" '$1 == t {print $3}' "$RESULTS")
    [[ -n $walls ]] || continue
    med=$(echo "$walls" | median)
    lo=$(echo "$walls" | sort -n | head -1)
    hi=$(echo "$walls" | sort -n | tail -1)
    n=$(echo "$walls" | wc -l)
    rss=$(awk -F'\t' -v t="$t" '$1 == t {print $4}' "$RESULTS" | median)
    cpu=$(awk -F'\t' -v t="$t" '$1 == t {print $5}' "$RESULTS" | median)
    awk -v t="$t" -v m="$med" -v lo="$lo" -v hi="$hi" -v n="$n" -v rss="$rss" -v cpu="$cpu" -v size="$SIZE" 'BEGIN {
      rate = (m > 0 && t !~ /header-only/) ? sprintf("%.0f", size / 1e6 / m) : "–"
      printf "| %s | %.2f s | %s | %.2f–%.2f s | %d | %.2f s | %.0f MB |\n", t, m, rate, lo, hi, n, cpu, rss / 1024 }'
  done
  echo
  echo "Versions: $("$BIN" --version 2>/dev/null | head -1 || echo spoke-status); $(go version | cut -d' ' -f3)$([[ $HAVE_DUCKDB == 1 ]] && echo "; DuckDB $(cd "$WORK/duckdb" && node -e 'console.log(require("@duckdb/node-api/package.json").version)' 2>/dev/null) (@duckdb/node-api, Node.js $(node --version))")$([[ $HAVE_MILLER == 1 ]] && echo "; $(mlr --version)")$([[ $HAVE_PYTHON == 1 ]] && echo "; $(python3 --version)")."
} | tee "$WORK/results.md"
# Optional cross-check with hyperfine (consecutive, not alternating, runs).
if [[ ${HYPERFINE:-0} == 1 ]] && apt_install hyperfine hyperfine; then
  hf=()
  for t in "${TOOLS[@]}"; do
    [[ $t == spoke-status* || $t == DuckDB* ]] && hf+=(-n "$t" "$(command_of "$t")")
  done
  hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/hyperfine.md" "${hf[@]}" >&2
fi
say "raw runs: $RESULTS; figures: $WORK/figures.md; table: $WORK/results.md"
