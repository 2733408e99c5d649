#!/usr/bin/env bash
# Booking through Televisit against a plain FHIR create, in alternating pairs on one database: the
# machine's speed drifts between runs minutes apart, so a pair run back to back says more than one
# long run each. Prints each booking rate and the audit trail's size (each booking's AuditEvent is
# committed with it, so the booking rate is the all-in rate).
# Build first: mvn -DskipTests install.   bench/booking-ab.sh [seconds] [pairs]
set -euo pipefail
PORT=18994
SANDBOX=false
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine; base R4 validation on in both runs"
for pair in $(seq 1 "${2:-3}"); do
  start
  [ "$pair" = 1 ] && register_backend
  run SchedulingBench book "$BASE" "$WORK" "${1:-20}" "Televisit (rules, link, outbox, audit)"
  audit_events
  stop
  start --televisit.rules.enabled=false
  run SchedulingBench book "$BASE" "$WORK" "${1:-20}" "plain FHIR create, Televisit's rules off"
  stop
done
