#!/usr/bin/env bash
# Scheduling figures on PostgreSQL against the runnable jar: booking through Televisit (rules,
# virtual service, join link, outbox, audit) against a plain FHIR create of the same Appointment with
# Televisit's rules switched off (same database, second start), and the join-link check rate.
# Build first: mvn -DskipTests install.   bench/scheduling.sh [seconds] [checks]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
PORT=18994
BASE="http://localhost:$PORT"
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
WORK=$(mktemp -d)
mvn -q -B -ntp -f "$ROOT/pom.xml" -pl visits dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=runtime >/dev/null
CP="$ROOT/visits/target/classes:$(cat "$WORK/cp")"
export TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD=
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
start() {
  java $JAVA_OPTS -jar "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" --server.port=$PORT --televisit.sandbox.enabled=false \
    --televisit.data-dir="$WORK/data" "$@" >"$WORK/log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do grep -q "Televisit ready in" "$WORK/log" && break; kill -0 $PID || { tail -30 "$WORK/log"; exit 1; }; sleep 0.25; done
}
stop() { kill $PID; wait $PID 2>/dev/null || true; PID=; }
run() { java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" "$ROOT/bench/$1.java" "${@:2}" 2>&1 | { grep -v "^Note:" || true; }; }

$PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine; base R4 validation on in both runs"
start
run SmartBench register "$BASE" "$WORK"
java -cp "$CP" org.televisit.visits.authorization.RegisterClient --id bench-backend --type asymmetric \
  --redirect-uri https://bench.example.org/cb --scopes "system/*.cruds" --jwks-file "$WORK/bench-jwks.json" 2>/dev/null | grep registered
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "Televisit (rules, link, outbox, audit)"
run SchedulingBench links "$BASE" "$WORK/data" "${2:-10000}"
stop
start --televisit.rules.enabled=false
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "plain FHIR create, Televisit's rules off"
stop
