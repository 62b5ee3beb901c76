#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the --db tests (internal/dbsource,
# internal/cli): `.ci/postgres.sh start DIR` initdb's a cluster in DIR (an
# empty or new folder) as an unprivileged user, listens only on a Unix
# socket in DIR, and prints the URL the tests read from
# SPOKE_TEST_DATABASE_URL; `.ci/postgres.sh stop DIR` stops it and removes
# DIR. Debian's postgresql package is installed when missing.
#
# The superuser "postgres" connects without a password (trust, on the
# socket only); every other role must give its password (scram-sha-256),
# so the tests can check authentication failures.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1 dir=$2

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# as runs a command as the cluster's owner: postgres refuses to run as root.
as() {
  if [ "$(id -u)" -eq 0 ]; then (cd "$dir" && runuser -u nobody -- "$@"); else (cd "$dir" && "$@"); fi
}

case $cmd in
start)
  if [ -z "$(pgbin)" ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
    { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql; } >&2
  fi
  bin=$(pgbin)
  [ -n "$bin" ] || { echo "$0: no PostgreSQL binaries in /usr/lib/postgresql/*/bin" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown nobody "$dir"
  as "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >"$dir/data/pg_hba.conf" <<HBA
local all postgres trust
local all all scram-sha-256
HBA
  [ "$(id -u)" -eq 0 ] && chown nobody "$dir/data/pg_hba.conf"
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres:///postgres?host=$dir&user=postgres&sslmode=disable"
  ;;
stop)
  bin=$(pgbin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
  ;;
*) usage ;;
esac
