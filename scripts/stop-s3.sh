#!/usr/bin/env bash
# Stops the versitygw server that scripts/start-s3.sh started for DIR.
#
# Usage: scripts/stop-s3.sh DIR
#
# Signals the process named in DIR/versitygw.pid, waits up to 10 seconds for
# it to exit (then kills it) and removes the pid file. A server that is not
# running is not an error. The data in DIR/data is kept.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
pidfile=$1/versitygw.pid
if [ ! -f "$pidfile" ]; then
	exit 0
fi
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null; then
	kill "$pid"
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null || true
	fi
fi
rm -f "$pidfile"
