#!/usr/bin/env bash
# Appointment create rate (1 and 8 clients) and search latency with 10,000 appointments, on
# PostgreSQL, against the runnable jar (the store, not its door: /fhir without tokens here; the token
# check is measured by bench/smart.sh). Build first: mvn -DskipTests install.
#   bench/appointments.sh [seconds-per-create-run] [creates-only]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
need_build
need_postgres
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -XX:+ExitOnOutOfMemoryError"
PORT=18991
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
LOG=$(mktemp)
# the store without its door (the token check is measured by bench/smart.sh): the baseline class
BASELINE=$(mktemp -d)
javac -d "$BASELINE" "$ROOT/bench/baseline/org/televisit/bench/WithoutTokenChecks.java"
$PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD= \
  java $JAVA_OPTS -Dloader.path="$BASELINE" -cp "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" \
  org.springframework.boot.loader.launch.PropertiesLauncher --server.port=$PORT --televisit.sandbox.enabled=false \
  ${TELEVISIT_ARGS:-} >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$LOG" "$BASELINE"' EXIT
for _ in $(seq 1 240); do grep -q "Televisit ready in" "$LOG" && break; kill -0 $PID || { tail -30 "$LOG"; exit 1; }; sleep 0.25; done
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine"
java "$ROOT/bench/AppointmentLoad.java" "http://localhost:$PORT/fhir" "${1:-20}" ${2:-}
