#!/usr/bin/env bash
# SMART figures on PostgreSQL against the runnable jar (sandbox on): EHR launches with 1 and 20
# concurrent clinicians, the token endpoint with private_key_jwt, and what the token check adds to a
# /fhir read (a second run of the same jar with televisit.fhir.require-token=false).
# Build first: mvn -DskipTests install.   bench/smart.sh [launches] [tokens]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
PORT=18992
BASE="http://localhost:$PORT"
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
WORK=$(mktemp -d)
CP_FILE="$WORK/cp"
mvn -q -B -ntp -f "$ROOT/pom.xml" -pl visits dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
CP="$ROOT/visits/target/classes:$(cat "$CP_FILE")"
export TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD=
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT

start() {
  java $JAVA_OPTS -jar "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" --server.port=$PORT \
    --televisit.data-dir="$WORK/data" "$@" >"$WORK/log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do grep -q "Televisit ready in" "$WORK/log" && break; kill -0 $PID || { tail -30 "$WORK/log"; exit 1; }; sleep 0.25; done
  # the sandbox clinic loads after ready
  for _ in $(seq 1 240); do grep -q "Sandbox data set ready" "$WORK/log" && break; sleep 0.5; done
}
stop() { kill $PID; wait $PID 2>/dev/null || true; PID=; }
bench() { java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" "$ROOT/bench/SmartBench.java" "$@"; }

$PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine"
start
bench register "$BASE" "$WORK"
java -cp "$CP" org.televisit.visits.authorization.RegisterClient --id bench-backend --type asymmetric \
  --redirect-uri https://bench.example.org/cb --scopes "system/*.cruds" --jwks-file "$WORK/bench-jwks.json" 2>/dev/null | grep registered
bench launch "$BASE" 20 "${1:-400}"
bench token "$BASE" "$WORK" 8 "${2:-5000}" RS384
bench token "$BASE" "$WORK" 8 "${2:-5000}" ES384
bench read "$BASE" 3000 "$WORK"
stop
start --televisit.fhir.require-token=false
bench read "$BASE" 3000
stop
