#!/usr/bin/env bash
# Stops the PostgreSQL cluster that scripts/start-postgres.sh started in DIR.
#
# Usage: scripts/stop-postgres.sh DIR
#
# A fast shutdown (open sessions are disconnected). Stopping a cluster that
# is not running is not an error. The data in DIR/data is kept; delete DIR to
# discard it.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$(cd "$1" && pwd)
data=$dir/data
if [ ! -f "$data/PG_VERSION" ]; then
	echo "$0: no cluster in $data" >&2
	exit 1
fi

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
	echo "$0: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin, or set PG_BIN" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	owner=$(stat -c %U "$data")
	as() { runuser -u "$owner" -- "$@"; }
else
	as() { "$@"; }
fi

if ! as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
	exit 0
fi
as "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
