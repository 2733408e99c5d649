#!/usr/bin/env bash
# Start-up to ready and peak RSS of the runnable jar: first start (empty database, sandbox loaded)
# and second start (sandbox already there), on the embedded H2 default and on PostgreSQL.
#   bench/startup.sh [runs-per-case]
# Starts what ./televisit run starts: the extracted jar with its class-data sharing archive (made by
# `./televisit prepare` once per build); PLAIN=1 measures the runnable jar as it is instead.
# JAVA_OPTS defaults to what ./televisit run uses.
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
need_build
if [ "${PLAIN:-}" = 1 ]; then
  JAR="$ROOT/visits/target/televisit.jar" CDS=
else
  read -r JAR CDS < <("$ROOT/televisit" prepare)
fi
RUNS="${1:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -XX:+ExitOnOutOfMemoryError"
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
PORT=18990
WORK=$(mktemp -d)
trap 'pkill -f "televisit.jar --server.port=$PORT" 2>/dev/null || true; rm -rf "$WORK"' EXIT

one_start() { # label, extra env...
  local label="$1"; shift
  local log="$WORK/start.log"
  env "$@" java $JAVA_OPTS ${CDS:+-XX:SharedArchiveFile=$CDS} -jar "$JAR" --server.port=$PORT --televisit.data-dir="$WORK/data" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do
    grep -q "Televisit ready in" "$log" && break
    kill -0 $pid 2>/dev/null || { echo "start failed:"; tail -30 "$log"; exit 1; }
    sleep 0.25
  done
  local ready rss seeded
  ready=$(grep -o "Televisit ready in [0-9]*" "$log" | grep -o "[0-9]*$")
  # The sandbox loads after ready, in the background: wait for it so the peak includes it.
  for _ in $(seq 1 240); do grep -q "Sandbox data set ready" "$log" && break; sleep 0.25; done
  seeded=$(grep -o "Sandbox data set ready: .*" "$log" | grep -o "([0-9]* ms)" | tr -d '()ms ')
  sleep 1
  rss=$(awk '/VmHWM/{print int($2/1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  printf "%-26s ready %6d ms   sandbox loaded %6d ms later   peak RSS %5d MiB\n" "$label" "$ready" "$seeded" "$rss"
}

echo "JAVA_OPTS=$JAVA_OPTS  cores=$(nproc)  jar=$JAR  ${CDS:+class-data sharing archive=$CDS}"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data"
  one_start "H2 first start"
  one_start "H2 second start"
  $PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
  pg=(TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD=)
  one_start "PostgreSQL first start" "${pg[@]}"
  one_start "PostgreSQL second start" "${pg[@]}"
done
