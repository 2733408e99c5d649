#!/usr/bin/env bash
# Booking through Televisit against a plain FHIR create of the same Appointment, on one database and
# in one run: Televisit and the same jar with its rules off run side by side, and the driver loads
# one of them at a time in alternating rounds (A B B A A B ...) after two warm-up turns of BOOK_WARMUP
# seconds each (default 10; use 60 for a steady state), so the
# machine's drift (1.5-2x within the hour here) falls on both alike. Prints each side's rate over its
# rounds and the ratio (each booking's AuditEvent is committed with it: the rate is the all-in rate).
# Build first: mvn -DskipTests install.   bench/booking-ab.sh [seconds-per-round] [rounds]
set -euo pipefail
PORT=18994
SANDBOX=false
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine; base R4 validation on in both servers"
start
TELEVISIT_PID=$PID
trap 'kill $TELEVISIT_PID ${PLAIN_PID:-} 2>/dev/null; rm -rf "$WORK"' EXIT
register_backend
PORT=18995 DATA_DIR="$WORK/data-plain" LOG="$WORK/log-plain" start_baseline WithoutVisitRules
PLAIN_PID=$PID
run SchedulingBench book-ab "$BASE" "http://localhost:18995" "$WORK" "${2:-6}" "${1:-5}"
audit_events
