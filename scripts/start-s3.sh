#!/usr/bin/env bash
# Starts an S3-compatible server (versitygw, posix backend) for glacierd's
# tests and development.
#
# Usage: scripts/start-s3.sh DIR PORT
#
# Serves the directory DIR/data (each subdirectory is a bucket) on
# 127.0.0.1:PORT, path-style, region us-east-1, with fixed root credentials
# (GLACIERD_S3_ACCESS_KEY and GLACIERD_S3_SECRET_KEY, default glacierd and
# glacierd-secret). Its log goes to DIR/versitygw.log and its process ID to
# DIR/versitygw.pid. Waits until it answers HTTP and prints, as its only line
# on stdout, the value for GLACIERD_TEST_S3:
#
#   http://ACCESS:SECRET@127.0.0.1:PORT/glacierd-test
#
# (the tests create buckets named glacierd-test-<random> and remove them).
#
# Installs versitygw, pinned, into .tools/ with go install on first use; the
# build takes a few minutes. Stop the server with scripts/stop-s3.sh DIR.
set -euo pipefail

version=v1.8.0

if [ $# -ne 2 ]; then
	echo "usage: $0 DIR PORT" >&2
	exit 2
fi
port=$2
mkdir -p "$1/data"
dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/.tools
vgw=$tools/versitygw

installed() {
	[ -x "$vgw" ] && go version -m "$vgw" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/versity/versitygw[[:space:]]+$version([[:space:]]|$)"
}
if ! installed; then
	echo "$0: installing versitygw $version into $tools" >&2
	mkdir -p "$tools"
	(cd "$root" && GOBIN="$tools" go install "github.com/versity/versitygw/cmd/versitygw@$version") >&2
fi

pidfile=$dir/versitygw.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
	echo "$0: versitygw already runs for $dir (pid $(cat "$pidfile")); stop it first (scripts/stop-s3.sh $dir)" >&2
	exit 1
fi

access=${GLACIERD_S3_ACCESS_KEY:-glacierd}
secret=${GLACIERD_S3_SECRET_KEY:-glacierd-secret}
log=$dir/versitygw.log
ROOT_ACCESS_KEY="$access" ROOT_SECRET_KEY="$secret" \
	nohup "$vgw" --port "127.0.0.1:$port" --region us-east-1 --keep-alive --quiet \
	posix "$dir/data" >"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"

for _ in $(seq 1 100); do
	if ! kill -0 "$pid" 2>/dev/null; then
		rm -f "$pidfile"
		echo "$0: versitygw exited; the end of $log:" >&2
		tail -n 20 "$log" >&2 || true
		exit 1
	fi
	# Any HTTP answer will do (an anonymous request is refused with 403).
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
	if [ -n "$code" ] && [ "$code" != 000 ]; then
		echo "http://$access:$secret@127.0.0.1:$port/glacierd-test"
		exit 0
	fi
	sleep 0.2
done
echo "$0: versitygw (pid $pid) does not answer on 127.0.0.1:$port; see $log" >&2
exit 1
