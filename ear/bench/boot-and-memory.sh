#!/usr/bin/env bash
# Measures what an operator waits for and pays: WildFly boot plus EAR deploy until /health/ready is
# green (first start on an empty H2 database, then a restart on the same data), and the server's
# resident memory after it has been idle. Needs a build first: mvn package -DskipTests
# Runs the provisioned server from a copy of its base directory, so the build's server stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
server=target/wildfly-39.0.1.Final
ear=target/statehouse.ear
idle_seconds=${IDLE_SECONDS:-60}
[ -f "$ear" ] && [ -d "$server" ] || { echo "Build first: mvn package -DskipTests" >&2; exit 2; }
if curl -s -o /dev/null http://127.0.0.1:9990/health/ready; then
    echo "Something already listens on 127.0.0.1:9990; stop it first" >&2; exit 2
fi

base=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$base"' EXIT
cp -r "$server/standalone/configuration" "$base/configuration"
mkdir -p "$base/deployments" && cp "$ear" "$base/deployments/"

start() {
    local t0 t1
    t0=$(date +%s%N)
    "$server/bin/standalone.sh" -c statehouse.xml -Djboss.server.base.dir="$base" > "$base/console-$1.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:9990/health/ready; do
        kill -0 "$pid" 2>/dev/null || { echo "server died; see $base/console-$1.log" >&2; exit 1; }
        sleep 0.1
    done
    t1=$(date +%s%N)
    echo "$1: boot + deploy until ready: $(( (t1 - t0) / 1000000 )) ms"
}
stop() {
    "$server/bin/jboss-cli.sh" -c --command=shutdown > /dev/null
    wait "$pid" 2>/dev/null || true
}
rss() { ps -o rss= -p "$(pgrep -P "$pid" java || echo "$pid")" | awk '{printf "%d MB", $1/1024}'; }

start "first start, empty H2"
stop
start "restart, same H2"
sleep "$idle_seconds"
echo "resident memory after ${idle_seconds} s idle: $(rss)"
stop
