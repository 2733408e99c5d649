#!/usr/bin/env bash
# Visit figures on PostgreSQL against the runnable jar with its local Janus and the sandbox on:
# presence latency (Janus event -> console SSE) and "Start visit" click -> inbound media in chromium.
# Needs chromium + chromium-driver (./televisit test installs them). Build first: mvn -DskipTests install.
#   bench/visit.sh [presence-rounds] [visits]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
PORT=18995
BASE="http://localhost:$PORT"
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
WORK=$(mktemp -d)
mvn -q -B -ntp -f "$ROOT/pom.xml" -pl visits dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=test >/dev/null
CP="$ROOT/visits/target/classes:$(cat "$WORK/cp")"
export TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD=
export TELEVISIT_VIDEO_EVENTS_PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
run() { java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" "$ROOT/bench/$1.java" "${@:2}" 2>&1 | { grep -v -E "^(Note:|SLF4J)" || true; }; }
$PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
java $JAVA_OPTS -jar "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" --server.port=$PORT --televisit.data-dir="$WORK/data" >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do grep -q "Sandbox data set ready" "$WORK/log" && break; kill -0 $PID || { tail -30 "$WORK/log"; exit 1; }; sleep 0.5; done
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server, Janus, browsers and driver share the machine"
run VisitBench presence "$BASE" "${1:-300}" "$TELEVISIT_VIDEO_EVENTS_PASSWORD"
run SmartBench register "$BASE" "$WORK"
java -cp "$CP" org.televisit.visits.authorization.RegisterClient --id bench-backend --type asymmetric \
  --redirect-uri https://bench.example.org/cb --scopes "system/*.cruds" --jwks-file "$WORK/bench-jwks.json" 2>/dev/null | grep registered
TOKEN=$(java -cp "$CP" "$ROOT/bench/SchedulingBench.java" token "$BASE" "$WORK" 2>/dev/null | tail -1)
run VisitBench media "$BASE" "${2:-5}" "$WORK/data" "$TOKEN"
