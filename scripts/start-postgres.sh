#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for glacierd's tests and development.
#
# Usage: scripts/start-postgres.sh DIR PORT
#
# Creates the cluster in DIR/data on first use (initdb, superuser "postgres",
# trust authentication on loopback only, UTF8, C locale), starts it on
# 127.0.0.1:PORT with its Unix socket in DIR/sock and its log in
# DIR/postgres.log, waits until it accepts connections and prints, as its only
# line on stdout, the URL to use, e.g. for GLACIERD_TEST_POSTGRES:
#
#   postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
#
# It installs nothing: the server comes from Debian's postgresql package
# (binaries in /usr/lib/postgresql/*/bin; the newest is used unless PG_BIN
# names a directory). Run as root, the cluster belongs to the postgres user
# (PostgreSQL refuses to run as root), so DIR and its parents must be
# searchable by that user; as any other user, the cluster is that user's.
#
# The cluster is a throwaway one for tests: it runs with fsync off unless
# GLACIERD_PG_DURABLE=1. Stop it with scripts/stop-postgres.sh DIR.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 DIR PORT" >&2
	exit 2
fi
port=$2
mkdir -p "$1"
dir=$(cd "$1" && pwd)

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
	echo "$0: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install -y postgresql), or set PG_BIN" >&2
	exit 1
fi

# as runs a command as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	if ! id "$owner" >/dev/null 2>&1; then
		echo "$0: running as root but there is no postgres user to own the cluster" >&2
		exit 1
	fi
	chown "$owner" "$dir"
	as() { runuser -u "$owner" -- "$@"; }
	if ! as test -w "$dir"; then
		echo "$0: user $owner cannot write $dir (are its parent directories searchable by $owner?)" >&2
		exit 1
	fi
else
	as() { "$@"; }
fi

data=$dir/data
sock=$dir/sock
log=$dir/postgres.log
as mkdir -p "$sock"

if [ ! -f "$data/PG_VERSION" ]; then
	as "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
		echo "$0: initdb failed:" >&2
		cat "$dir/initdb.log" >&2
		exit 1
	}
fi

if as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
	echo "$0: a server already runs on $data; stop it first (scripts/stop-postgres.sh $dir)" >&2
	exit 1
fi

opts="-c listen_addresses=127.0.0.1 -p $port -k $sock -c max_connections=200"
if [ "${GLACIERD_PG_DURABLE:-0}" != 1 ]; then
	opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
if ! as "$bin/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 start >/dev/null; then
	echo "$0: PostgreSQL did not start; the end of $log:" >&2
	tail -n 20 "$log" >&2 || true
	exit 1
fi

for _ in $(seq 1 60); do
	if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
		echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
		exit 0
	fi
	sleep 0.5
done
echo "$0: PostgreSQL started but does not accept connections on 127.0.0.1:$port; see $log" >&2
exit 1
